/**
 * Worker-thread entry: runs one LoadGenerator for one row and reports back.
 *
 * Messages, in order:
 *   worker -> main  { type: 'connecting', connected, failed, total }     at once, then every PROGRESS_MS while connecting
 *   worker -> main  { type: 'ready', connected, failures, firstError }   after connecting
 *   main -> worker  { type: 'start', startEpochMs }                     common start, epoch ms
 *   worker -> main  { type: 'progress', sent, replies }                 every PROGRESS_MS
 *   worker -> main  { type: 'result', result }                          then the worker exits
 *   main -> worker  { type: 'abort' }                                   close and exit instead
 *
 * The start time travels as epoch milliseconds because each thread's
 * performance.now() has its own origin; performance.timeOrigin converts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { LoadGenerator, type GeneratorJob } from './generator.js';

/** Progress reports per second: 5 keeps the bar lively at negligible cost. */
const PROGRESS_MS = 200;

export type WorkerMessage =
  | { type: 'connecting'; connected: number; failed: number; total: number }
  | { type: 'ready'; connected: number; failures: number; firstError: string | null }
  | { type: 'progress'; sent: number; replies: number }
  | { type: 'result'; result: import('./generator.js').GeneratorResult };

export type MainMessage = { type: 'start'; startEpochMs: number } | { type: 'abort' };

const port = parentPort;
if (port === null) throw new Error('worker.ts must run in a worker thread');
const generator = new LoadGenerator((workerData as { job: GeneratorJob }).job);

port.on('message', (msg: MainMessage) => {
  if (msg.type === 'abort') {
    generator.close();
    port.close();
    return;
  }
  const startAt = msg.startEpochMs - performance.timeOrigin;
  const ticker = setInterval(() => port.postMessage({ type: 'progress', ...generator.progress() } satisfies WorkerMessage), PROGRESS_MS);
  void generator.run(startAt).then((result) => {
    clearInterval(ticker);
    port.postMessage({ type: 'result', result } satisfies WorkerMessage);
    port.close();
  });
});

const reportConnecting = (): void => port.postMessage({ type: 'connecting', ...generator.connectProgress() } satisfies WorkerMessage);
reportConnecting();
const connectTicker = setInterval(reportConnecting, PROGRESS_MS);
const ready = await generator.connect();
clearInterval(connectTicker);
port.postMessage({ type: 'ready', ...ready } satisfies WorkerMessage);
