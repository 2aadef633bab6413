/**
 * The REPL's line input, a thin layer over node:readline (which does the
 * editing, the cursor keys, the history walk and Tab completion). What it
 * adds is what linenoise gives redis-cli and readline lacks:
 * - argument hints drawn in grey after the cursor, redrawn after each key,
 *   cut to the terminal's width and wiped before Enter, as linenoise's
 *   refreshShowHints() draws them;
 * - a history whose contents the REPL decides (readline adds every line;
 *   redis-cli leaves passwords out), see setHistory();
 * - Tab completion that cycles through the candidates in place, as
 *   linenoise's completeLine() does, each Tab showing the next one and,
 *   after the last, the line as typed (with a beep); any other key keeps
 *   what is shown. readline's completer hook calls it, and readline's own
 *   editing keys put the candidate in the line;
 * - one awaitable read() per prompt that says why input ended (end of input
 *   or Ctrl-C), and a callback for Ctrl-C while a command runs.
 * It knows nothing of commands or connections.
 */
import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { HISTORY_MAX_LEN } from './history.js';

export interface LineEditorOptions {
  input: Readable;
  output: Writable & { columns?: number };
  /** Edit lines on a terminal (raw mode, keys, history, completion, hints). */
  terminal: boolean;
  /** Write the prompt before each line (without a terminal, the plain text). */
  prompt: boolean;
  /** History, oldest first (terminal only). */
  history?: readonly string[];
  /** Tab completion: the whole lines that may replace the text before the cursor, in order. */
  completer?: (line: string) => string[];
  /** The hint to show after the line typed so far, or null. */
  hint?: (line: string) => string | null;
  /** Ctrl-C typed while no line is being read (a command is running). */
  onInterrupt?: () => void;
}

/** A line, or why there are no more: end of input (Ctrl-D) or Ctrl-C at the prompt. */
export type ReadResult = { line: string } | { end: 'eof' | 'interrupt' };

/** linenoise's hint colour: grey (90), not bold, default background. */
const HINT_START = '\x1b[0;90;49m';
const HINT_END = '\x1b[0m';
/** The width assumed when the output does not say (linenoise's getColumns() fallback). */
const DEFAULT_COLUMNS = 80;

export class LineEditor {
  private readonly rl: readline.Interface;
  private readonly queue: string[] = [];
  private waiter: ((r: ReadResult) => void) | null = null;
  private closed = false;
  private hintShown = false;
  /** The Tab cycle in progress: the line as typed, its candidates, and which one is shown (candidates.length: the typed line). */
  private cycle: { typed: string; candidates: string[]; index: number } | null = null;
  private lastKeyWasTab = false;
  /** Whether hints are drawn (`:set hints` / `:set nohints`). */
  hintsEnabled = true;

  constructor(private readonly o: LineEditorOptions) {
    this.rl = readline.createInterface({
      input: o.input,
      output: o.terminal || o.prompt ? o.output : undefined,
      terminal: o.terminal,
      // Readline keeps history newest first.
      history: o.terminal ? [...(o.history ?? [])].reverse() : [],
      historySize: o.terminal ? HISTORY_MAX_LEN : 0,
      completer: o.terminal && o.completer !== undefined ? (line: string) => this.complete(line) : undefined,
      tabSize: 8,
    });
    this.rl.on('line', (line) => this.deliver({ line }));
    this.rl.on('close', () => {
      this.closed = true;
      this.deliver({ end: 'eof' });
    });
    this.rl.on('SIGINT', () => {
      if (this.waiter !== null) this.deliver({ end: 'interrupt' });
      else o.onInterrupt?.();
    });
    if (o.terminal) {
      // Whether the key before the current one was Tab: a Tab then goes on cycling.
      o.input.on('keypress', (_s: string | undefined, key: readline.Key | undefined) => (this.lastKeyWasTab = key?.name === 'tab'));
    }
    if (o.terminal && o.hint !== undefined) {
      // Before readline handles Enter, wipe the hint so it does not stay on the entered line.
      o.input.prependListener('keypress', (_s: string | undefined, key: readline.Key | undefined) => {
        if (this.hintShown && (key?.name === 'return' || key?.name === 'enter')) {
          this.rl.write(null, { ctrl: true, name: 'e' });
          o.output.write('\x1b[0K');
          this.hintShown = false;
        }
      });
      // After readline has applied the key, draw the hint for the new line;
      // and again after readline redraws the line for a new terminal width.
      o.input.on('keypress', () => this.drawHint());
      o.output.on('resize', () => this.drawHint());
    }
  }

  private deliver(r: ReadResult): void {
    if ('line' in r && this.waiter === null) {
      this.queue.push(r.line);
      return;
    }
    const w = this.waiter;
    this.waiter = null;
    w?.(r);
  }

  /** Shows `prompt` and resolves with the next line, or with why input ended. */
  read(prompt: string): Promise<ReadResult> {
    if (this.o.prompt || this.o.terminal) {
      if (!this.closed) {
        this.rl.setPrompt(prompt);
        this.rl.prompt();
      } else if (this.o.prompt && !this.o.terminal) {
        // Input has ended but lines may be queued; the last prompt shows too, as before EOF.
        this.o.output.write(prompt);
      }
    }
    const queued = this.queue.shift();
    if (queued !== undefined) return Promise.resolve({ line: queued });
    if (this.closed) return Promise.resolve({ end: 'eof' });
    return new Promise((resolve) => (this.waiter = resolve));
  }

  /**
   * readline's completer, doing linenoise's completeLine(): the first Tab
   * shows the first candidate, each further Tab the next, then the line as
   * typed (with a beep, as linenoiseBeep()), then the first again. No
   * candidate at all only beeps. The candidate replaces the text before the
   * cursor through readline's own keys (Ctrl-U, then the text), and readline
   * is told there is nothing left for it to complete.
   */
  private complete(line: string): [string[], string] {
    const c = this.cycle;
    if (c !== null && this.lastKeyWasTab && line === (c.index === c.candidates.length ? c.typed : c.candidates[c.index])) {
      c.index = (c.index + 1) % (c.candidates.length + 1);
    } else {
      const candidates = this.o.completer!(line);
      this.cycle = candidates.length === 0 ? null : { typed: line, candidates, index: 0 };
    }
    const now = this.cycle;
    if (now === null || now.index === now.candidates.length) this.o.output.write('\x07');
    if (now !== null) {
      const shown = now.index === now.candidates.length ? now.typed : now.candidates[now.index]!;
      this.rl.write(null, { ctrl: true, name: 'u' });
      this.rl.write(shown);
    }
    return [[], line];
  }

  /**
   * Replaces readline's history with `history` (oldest first), so that what
   * Up and Down walk is what the REPL kept: readline has already added the
   * line just entered, which may be one redis-cli would leave out.
   */
  setHistory(history: readonly string[]): void {
    const own = (this.rl as unknown as { history?: string[] }).history;
    if (Array.isArray(own)) own.splice(0, own.length, ...[...history].reverse());
  }

  /**
   * Draws the hint for the current line after the cursor, as linenoise's
   * refreshShowHints(): only with the cursor at the end, cut so it never
   * wraps (which would move the cursor), then the cursor is put back by
   * column.
   */
  private drawHint(): void {
    if (this.waiter === null || this.closed || this.o.hint === undefined) return;
    const line = this.rl.line;
    if (this.rl.cursor !== line.length) return;
    const hint = this.hintsEnabled ? this.o.hint(line) : null;
    const columns = this.o.output.columns ?? DEFAULT_COLUMNS;
    const col = this.rl.getCursorPos().cols;
    const text = hint === null ? '' : hint.slice(0, Math.max(0, columns - col));
    if (text === '' && !this.hintShown) return;
    let out = '\x1b[0K';
    if (text !== '') out += `${HINT_START}${text}${HINT_END}\r${col > 0 ? `\x1b[${col}C` : ''}`;
    this.o.output.write(out);
    this.hintShown = text !== '';
  }

  /** Stops reading; the terminal leaves raw mode. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.rl.close();
  }
}
