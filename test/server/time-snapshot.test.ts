/**
 * Time snapshots (dispatch.ts): each command sees one time for its whole
 * run, and consecutive quick commands of one read batch share a snapshot,
 * up to 16 of them; a command after one that may have run long reads the
 * clock again. A clock that moves 1 s on every read makes each read show in
 * PTTL replies.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Clock } from '../../src/keyspace/clock.js';
import { rawExchange, resp, startTestServer, type TestServer } from '../helpers.js';

/** A clock that moves 1,000 ms every time it is read. */
class SteppingClock extends Clock {
  private t = Date.UTC(2030, 0, 1);
  override now(): number {
    this.t += 1000;
    return this.t;
  }
}

let srv: TestServer;
before(async () => {
  srv = await startTestServer({ clock: new SteppingClock() });
});
after(async () => {
  await srv.close();
});

/** The integer replies of a batch, in order (`+OK` and arrays skipped). */
function integers(data: string): number[] {
  return [...data.matchAll(/^:(-?\d+)\r$/gm)].map((m) => Number(m[1]));
}

describe('time snapshots', () => {
  test('16 quick commands of one batch share a time; the 17th reads the clock', async () => {
    const reqs = [resp('SET', 'ts:k', 'v', 'PX', '5000')];
    for (let i = 0; i < 20; i++) reqs.push(resp('PTTL', 'ts:k'));
    const r = await rawExchange(srv.port, Buffer.concat(reqs), { expect: 20 * ':5000\r\n'.length });
    assert.deepEqual(integers(r.data), [...Array(15).fill(5000), ...Array(5).fill(4000)]);
  });

  test('a command that is not quick makes the next one read the clock', async () => {
    const reqs = [resp('SET', 'ts:j', 'v', 'PX', '5000'), resp('PTTL', 'ts:j'), resp('KEYS', 'ts:none*'), resp('PTTL', 'ts:j'), resp('PTTL', 'ts:j')];
    const r = await rawExchange(srv.port, Buffer.concat(reqs), { expect: ':4000\r\n:4000\r\n' });
    assert.equal(r.data, '+OK\r\n:5000\r\n*0\r\n:4000\r\n:4000\r\n');
  });

  test('each batch starts with a new reading', async () => {
    // Two writes, the second after the first's replies: two batches.
    const first = await rawExchange(srv.port, Buffer.concat([resp('SET', 'ts:b', 'v', 'PX', '50000'), resp('PTTL', 'ts:b')]), { expect: ':50000\r\n' });
    assert.equal(first.data, '+OK\r\n:50000\r\n');
    const second = await rawExchange(srv.port, resp('PTTL', 'ts:b'));
    const left = integers(second.data)[0]!;
    assert.ok(left < 50000 && left % 1000 === 0, `PTTL ${left}`);
  });
});
