/**
 * --pipe (pipeMode): raw RESP from stdin goes to the server as it is read,
 * replies are counted as they come (errors printed to stderr), and at the
 * end of input an ECHO of 20 random bytes is sent: its reply, the last one,
 * proves every earlier reply has arrived. The summary is redis-cli's: "All
 * data transferred. Waiting for the last reply...", "Last reply received
 * from server.", "errors: N, replies: M". Exit code 1 when any reply was an
 * error or --pipe-timeout seconds passed after the end of input without a
 * reply ("No replies for N seconds: exiting.").
 */
import { randomBytes } from 'node:crypto';
import type { CliOptions } from '../options.js';
import type { Reply } from '../reply.js';
import { put, type Io } from '../session.js';
import { connectOrExit } from './keys.js';

export async function pipeMode(o: CliOptions, io: Io): Promise<number> {
  const runner = await connectOrExit(o, io);
  const conn = runner.session!.conn;
  const magic = randomBytes(20);
  let errors = 0;
  let replies = 0;
  let eof = false;
  let lastRead = Date.now();

  return new Promise<number>((resolve) => {
    let finished = false;
    const finish = (code: number): void => {
      if (finished) return;
      finished = true;
      clearInterval(timer);
      put(io.stdout, `errors: ${errors}, replies: ${replies}\n`);
      runner.close();
      resolve(code === 0 && errors > 0 ? 1 : code);
    };
    // The timeout is checked ten times a second (redis-cli checks once per 1000 ms aeWait, in whole seconds).
    const timer = setInterval(() => {
      if (eof && o.pipeTimeout > 0 && Date.now() - lastRead > o.pipeTimeout * 1000) {
        put(io.stderr, `No replies for ${o.pipeTimeout} seconds: exiting.\n`);
        errors++;
        finish(1);
      }
    }, 100);
    const readLoop = async (): Promise<void> => {
      for (;;) {
        let r: Reply;
        try {
          r = await conn.read();
        } catch {
          if (!finished) {
            put(io.stderr, 'Error reading replies from server\n');
            finished = true;
            clearInterval(timer);
            runner.close();
            resolve(1);
          }
          return;
        }
        lastRead = Date.now();
        if (r.type === 'error') {
          put(io.stderr, `${r.value}\n`);
          errors++;
        } else if (eof && r.type === 'string' && r.value.length === 20 && r.value.equals(magic)) {
          put(io.stdout, 'Last reply received from server.\n');
          finish(0);
          return;
        }
        replies++;
      }
    };
    void readLoop();
    const input = io.stdin ?? process.stdin;
    input.on('data', (chunk: Buffer) => {
      if (!conn.socket.write(chunk)) {
        input.pause();
        conn.socket.once('drain', () => input.resume());
      }
    });
    input.on('end', () => {
      eof = true;
      // The leading CRLF keeps the ECHO well formed even after garbage; Redis ignores empty lines.
      const echo = Buffer.concat([Buffer.from('\r\n*2\r\n$4\r\nECHO\r\n$20\r\n'), magic, Buffer.from('\r\n')]);
      conn.socket.write(echo);
      put(io.stdout, 'All data transferred. Waiting for the last reply...\n');
    });
  });
}
