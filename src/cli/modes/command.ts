/**
 * Sending commands as redis-cli does: its cliConnect / issueCommandRepeat /
 * cliSendCommand / cliReadReply path, shared by one-shot mode (a command on
 * the command line) and by commands read from stdin. It owns the session
 * (connecting again after the connection was lost), -r/-i repeats, -e, the
 * commands printed raw whatever the style, SELECT/AUTH/MULTI bookkeeping,
 * and the two modes a command turns on: MONITOR (print every line until
 * interrupted or an error) and SUBSCRIBE/PSUBSCRIBE/SSUBSCRIBE ("Reading
 * messages..." and then every message).
 *
 * Where redis-cli calls exit(), this throws CliExit; main() turns it into
 * the exit code.
 */
import { CliConnectionError } from '../client.js';
import { UnknownReplyTypeError } from '../format.js';
import { generalHelp, helpFor, parseCommandDocs } from '../help.js';
import { atoi, CLI_VERSION, type CliOptions, type OutputMode } from '../options.js';
import type { Reply } from '../reply.js';
import { formatForRun, openSession, outputMode, put, type Io, type Session } from '../session.js';

/** redis-cli's exit(code) from deep inside a mode. */
export class CliExit extends Error {
  override readonly name = 'CliExit';
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

const lower = (s: string | undefined): string => (s ?? '').toLowerCase();

/** Sleeps `seconds` (fractional), as usleep(config.interval). */
export function sleep(seconds: number): Promise<void> {
  return new Promise((r) => setTimeout(r, Math.max(0, seconds * 1000)));
}

/**
 * One redis-cli "context": the options, the output style, the connection
 * (null while not connected) and the database state cliSendCommand keeps.
 * `interactive` is redis-cli's config.interactive (true for commands read
 * from stdin): a lost connection is then reported and the next command
 * connects again, where one-shot mode exits 1.
 */
export class CommandRunner {
  session: Session | null = null;
  readonly mode: OutputMode;
  /** config.conn_info.input_dbnum: the database to select on (re)connect. */
  inputDb: number;
  private inMulti = false;
  private preMultiDb = 0;
  /** Set by SIGINT in MONITOR or pub/sub mode when reading commands from stdin (blocking_state_aborted). */
  private aborted = false;
  blocking = false;
  /** config.cluster_reissue_command / cluster_send_asking: a -MOVED or -ASK reply asks for the command again elsewhere. */
  private reissue = false;
  private asking = false;

  constructor(readonly o: CliOptions, readonly io: Io, readonly interactive: boolean) {
    this.mode = outputMode(o, io);
    this.inputDb = o.db;
  }

  /**
   * cliConnect(): (re)connects when not connected or when `force`, then AUTH,
   * SELECT, HELLO 3. Returns false on any failure (printed unless `quiet`
   * for the connection itself; AUTH/SELECT/HELLO failures always print).
   */
  async connect(force = false, quiet = false): Promise<boolean> {
    if (this.session !== null && !force && !this.session.conn.closed) return true;
    if (this.session !== null) {
      this.session.conn.close();
      this.session = null;
      this.inMulti = false;
    }
    try {
      this.session = await openSession({ ...this.o, db: this.inputDb }, this.io);
    } catch (e) {
      if (!(e instanceof CliConnectionError)) throw e;
      // A TLS negotiation failure is printed even when quiet, as in cliConnect().
      if (!quiet || e.message.startsWith('Could not negotiate')) put(this.io.stderr, `${e.message}\n`);
      return false;
    }
    return this.session.ok;
  }

  /** Closes the connection (as at exit). */
  close(): void {
    this.session?.conn.close();
    this.session = null;
  }

  /** Aborts MONITOR or pub/sub mode (SIGINT while reading commands from stdin). */
  abortBlocking(): void {
    this.aborted = true;
    this.session?.conn.close();
  }

  private write(s: string): void {
    put(this.io.stdout, s);
  }

  /** Formats a reply, or does what redis-cli does for a type it cannot print (stderr, exit 1). */
  private format(r: Reply, argv: readonly string[]): string {
    try {
      return formatForRun(r, this.mode, this.o, argv);
    } catch (e) {
      if (!(e instanceof UnknownReplyTypeError)) throw e;
      put(this.io.stderr, `${e.message}\n`);
      throw new CliExit(1);
    }
  }

  /**
   * cliReadReply(): reads one reply and prints it. Returns the reply, or null
   * when the connection was lost and the caller should report it (only when
   * interactive); one-shot mode prints "Error: ..." and exits 1 instead.
   */
  private async readReply(argv: readonly string[]): Promise<Reply | 'reconnected' | 'shutdown' | 'redirect' | null> {
    let r: Reply;
    try {
      r = await this.session!.conn.read();
    } catch (e) {
      if (this.aborted) {
        this.aborted = false;
        this.blocking = false;
        return (await this.connect(true)) ? 'reconnected' : null;
      }
      // SHUTDOWN: the server closing the connection is the expected answer (config.shutdown).
      if (lower(argv[0]) === 'shutdown' && e instanceof CliConnectionError) {
        this.close();
        return 'shutdown';
      }
      if (this.interactive && e instanceof CliConnectionError) return null;
      put(this.io.stderr, `Error: ${(e as Error).message}\n`);
      throw new CliExit(1);
    }
    if (this.o.cluster && r.type === 'error' && (r.value.startsWith('MOVED ') || r.value.startsWith('ASK '))) {
      // "MOVED 3999 127.0.0.1:6381": the slot, then host:port split at the last ':'.
      const [, slot, addr = ''] = r.value.split(' ');
      const colon = addr.lastIndexOf(':');
      this.o.host = addr.slice(0, colon);
      this.o.port = atoi(addr.slice(colon + 1));
      if (this.interactive) this.write(`-> Redirected to slot [${atoi(slot ?? '')}] located at ${this.o.host}:${this.o.port}\n`);
      this.reissue = true;
      this.asking = r.value.startsWith('ASK ');
      return 'redirect';
    }
    if (!this.interactive && this.o.errorExitCode && r.type === 'error') {
      put(this.io.stderr, `${r.value}\n`);
      throw new CliExit(1);
    }
    this.write(this.format(r, argv));
    return r;
  }

  /**
   * issueCommandRepeat(): connects if needed, then sends the command
   * `repeat` times (forever when negative), waiting -i seconds after each.
   * Returns false when the command could not be sent or its reply not read
   * (the error has been printed).
   */
  async issue(argv: readonly Buffer[], repeat: number): Promise<boolean> {
    const first = lower(argv[0]?.toString('latin1'));
    if (first === 'help' || first === '?') return this.help(argv.slice(1).map((a) => a.toString('latin1')));
    for (;;) {
      if (this.reissue || this.session === null || this.session.conn.closed) {
        if (!(await this.connect(true))) {
          // cliPrintContextError(): an empty "Error: " when only AUTH/SELECT/HELLO failed, nothing when unreachable.
          if (this.session !== null) put(this.io.stderr, 'Error: \n');
          this.reissue = false;
          return false;
        }
      }
      this.reissue = false;
      if (this.asking) {
        // cliSendAsking()
        this.asking = false;
        const r = await this.session!.conn.command(['ASKING']).catch(() => null);
        if (r === null || r.type === 'error') {
          put(this.io.stderr, r === null ? '\nI/O error\n' : `ASKING failed: ${r.value}\n`);
          put(this.io.stderr, 'Error: \n');
          return false;
        }
      }
      const ok = await this.send(argv, repeat);
      if (!ok) {
        put(this.io.stderr, `Error: ${this.session?.conn.failureMessage() ?? 'Server closed the connection'}\n`);
        this.close();
        return false;
      }
      if (this.o.cluster && this.reissue) continue;
      return true;
    }
  }

  /** cliOutputHelp(): help without arguments, `help <command>` and `help @<group>`, from COMMAND DOCS. */
  private async help(words: string[]): Promise<boolean> {
    if (words.length === 0) {
      this.write(generalHelp(CLI_VERSION));
      return true;
    }
    let docs = new Map<string, unknown>() as ReturnType<typeof parseCommandDocs>;
    if (this.session !== null && !this.session.conn.closed) {
      const reply = await this.session.conn.command(['COMMAND', 'DOCS']).catch(() => null);
      if (reply !== null && reply.type !== 'error') docs = parseCommandDocs(reply);
    }
    this.write(helpFor(words, docs));
    return true;
  }

  /** cliSendCommand(). */
  private async send(args: readonly Buffer[], repeat: number): Promise<boolean> {
    const argv = args.map((a) => a.toString('latin1'));
    const name = lower(argv[0]);
    const monitor = name === 'monitor';
    // config.pubsub_mode: once an error or Ctrl-C has left it, later repeats (-r) read one reply each.
    let pubsub = name === 'subscribe' || name === 'psubscribe' || name === 'ssubscribe';
    while (repeat < 0 || repeat-- > 0) {
      const conn = this.session!.conn;
      conn.send(args);
      if (monitor) {
        this.blocking = true;
        conn.pushesAsReplies = true;
        for (;;) {
          const r = await this.readReply(argv);
          if (r === null) {
            put(this.io.stderr, `Error: ${conn.failureMessage()}\n`);
            throw new CliExit(1);
          }
          if (r === 'reconnected' || r === 'shutdown' || r === 'redirect') return true;
          if (r.type === 'error') break;
        }
        this.blocking = false;
        conn.pushesAsReplies = false;
        return true;
      }
      if (pubsub) {
        if (this.mode !== 'raw') this.write('Reading messages... (press Ctrl-C to quit)\n');
        this.blocking = true;
        conn.pushesAsReplies = true;
        for (;;) {
          const r = await this.readReply(argv);
          if (r === null) {
            put(this.io.stderr, `Error: ${conn.failureMessage()}\n`);
            throw new CliExit(1);
          }
          if (r === 'reconnected' || r === 'shutdown' || r === 'redirect' || r.type === 'error') break;
        }
        this.blocking = false;
        conn.pushesAsReplies = false;
        pubsub = false;
        continue;
      }
      const r = await this.readReply(argv);
      if (r === null) return false;
      if (r === 'shutdown' || r === 'redirect') return true;
      if (r === 'reconnected') continue;
      this.track(argv, r);
      if (this.o.interval > 0) await sleep(this.o.interval);
    }
    return true;
  }

  /** The database and MULTI bookkeeping after a reply, as cliSendCommand keeps it. */
  private track(argv: readonly string[], r: Reply): void {
    const name = lower(argv[0]);
    const n = argv.length;
    const s = this.session!;
    if (name === 'select' && n === 2 && r.type !== 'error') {
      this.inputDb = s.db = Number.parseInt(argv[1]!, 10) || 0;
    } else if (name === 'multi' && n === 1 && r.type !== 'error') {
      this.inMulti = true;
      this.preMultiDb = s.db;
    } else if (name === 'exec' && n === 1 && this.inMulti) {
      this.inMulti = false;
      if (r.type === 'error' || r.type === 'nil') this.inputDb = s.db = this.preMultiDb;
    } else if (name === 'discard' && n === 1 && r.type !== 'error') {
      this.inMulti = false;
      this.inputDb = s.db = this.preMultiDb;
    } else if (name === 'reset' && n === 1 && r.type !== 'error') {
      this.inMulti = false;
      this.inputDb = s.db = 0;
    }
  }
}

/** readArgFromStdin(): all of stdin, as bytes. */
export async function readAllStdin(io: Io): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const input = io.stdin ?? process.stdin;
  for await (const c of input) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks);
}
