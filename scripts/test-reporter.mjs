/**
 * The test suite's reporter for `node --test`: one line per test file, every
 * failure in full (message, diff, and the stack mapped back to the .ts
 * sources, since the suite runs with --enable-source-maps), every skipped
 * test with its reason, and a closing summary line:
 *
 *     ✔ test/cli/format.test.ts  9 passed  0.3 s
 *     ...
 *     skipped: test/server/redis-tools.test.ts › redis-cli ... (redis-cli not installed)
 *     712 passed, 0 failed, 3 skipped, 0 todo  (38 files, 41.2 s)
 *
 * Node's own reporters print either a TAP line per test (about 4,000 lines
 * piped) or the spec tree; this keeps piped CI logs short while losing none
 * of what a failure needs. Test output (console.log in a test file) is kept
 * and printed only for files that failed.
 */
import { relative } from 'node:path';
import { inspect } from 'node:util';

const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code, s) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
const red = (s) => paint(31, s);
const green = (s) => paint(32, s);
const yellow = (s) => paint(33, s);
const dim = (s) => paint(2, s);

/** dist/test/cli/x.test.js -> test/cli/x.test.ts: the file a reader opens. */
function sourceName(file) {
  if (file === undefined) return '(no file)';
  const rel = relative(process.cwd(), file);
  return rel.replace(/^dist\//, '').replace(/\.js$/, '.ts');
}

function newFile() {
  return { passed: 0, failed: 0, skipped: 0, todo: 0, output: [], stack: [], reported: false, complete: null, finished: false };
}

/**
 * The message, assertion diff and stack of a failed test's error, indented,
 * without frames inside Node itself (node:internal/..., node:async_hooks).
 */
function describeError(error) {
  // The runner wraps the test's own error in a 'testCodeFailure' with `cause`.
  const cause = error?.cause ?? error;
  const text = cause instanceof Error ? (cause.stack ?? cause.message) : inspect(cause, { depth: 6 });
  return text
    .split('\n')
    .filter((l) => !/^\s+at (.*\()?node:/.test(l) && !/^\s+at async Promise\.all/.test(l))
    .map((l) => '    ' + l)
    .join('\n');
}

/** `✔ test/cli/format.test.ts  9 passed  0.3 s` */
function fileLine(name, f, durationMs) {
  const parts = [`${f.passed} passed`];
  if (f.failed > 0) parts.push(red(`${f.failed} failed`));
  if (f.skipped > 0) parts.push(yellow(`${f.skipped} skipped`));
  if (f.todo > 0) parts.push(`${f.todo} todo`);
  return `${f.failed > 0 ? red('✖') : green('✔')} ${name}  ${parts.join(', ')}  ${dim((durationMs / 1000).toFixed(1) + ' s')}\n`;
}

export default async function* report(source) {
  const files = new Map();
  const fileOf = (name) => {
    let f = files.get(name);
    if (f === undefined) files.set(name, (f = newFile()));
    return f;
  };
  const failures = [];
  const skips = [];
  const totals = {};
  const started = Date.now();
  // Files run two at a time, but their test events reach the reporter one
  // file after another, while a file's own 'complete' event comes as soon as
  // its process ends, often before its tests have been reported. A file's
  // line is therefore printed once it has completed and the reporter has
  // moved on to another file's tests (or the stream ended).
  let current = null;

  /** The file's summary line, and what its failure outside any test needs. */
  function* finish(name) {
    const f = files.get(name);
    if (f === undefined || f.complete === null || f.finished) return;
    f.finished = true;
    // The file failed outside any test: it did not load, or exited early.
    const loadFailure = f.complete.passed === false && f.failed === 0;
    if (loadFailure) f.failed++;
    yield fileLine(name, f, f.complete.duration_ms ?? 0);
    if (loadFailure) {
      const entry = `${red('✖')} ${name}\n${describeError(f.complete.error)}`;
      failures.push(entry);
      yield entry + '\n';
    }
    if (f.failed > 0 && f.output.length > 0) yield dim(f.output.join('').replace(/^/gm, '    | ')) + '\n';
  }

  for await (const { type, data } of source) {
    if (type === 'test:start' || type === 'test:pass' || type === 'test:fail') {
      const name = sourceName(data.file);
      if (current !== null && current !== name) yield* finish(current);
      current = name;
    }
    switch (type) {
      case 'test:start': {
        const f = fileOf(sourceName(data.file));
        f.stack[data.nesting] = data.name;
        f.stack.length = data.nesting + 1;
        break;
      }
      case 'test:pass':
      case 'test:fail': {
        const name = sourceName(data.file);
        const f = fileOf(name);
        // A file that failed outside any test gets a fail event of its own; finish() reports it.
        if (data.nesting === 0 && data.name === data.file) break;
        if (data.details?.type === 'suite' && type === 'test:pass') break;
        const path = [...f.stack.slice(0, data.nesting), data.name].join(' › ');
        if (type === 'test:fail') {
          // A suite fails when a test inside it did; that test is reported already.
          if (data.details?.type === 'suite' && data.details.error?.failureType === 'subtestsFailed') break;
          f.failed++;
          const entry = `${red('✖')} ${name} › ${path}\n${describeError(data.details?.error)}`;
          failures.push(entry);
          yield entry + '\n';
        } else if (data.skip !== undefined) {
          f.skipped++;
          skips.push(`${name} › ${path}${typeof data.skip === 'string' ? ` (${data.skip})` : ''}`);
        } else if (data.todo !== undefined) {
          f.todo++;
        } else {
          f.passed++;
        }
        break;
      }
      case 'test:stdout':
      case 'test:stderr':
        fileOf(sourceName(data.file)).output.push(data.message);
        break;
      case 'test:complete':
        // Each file's run ends with a complete event named after the file itself.
        if (data.nesting === 0 && data.file !== undefined && data.name === data.file) {
          const name = sourceName(data.file);
          const f = fileOf(name);
          f.complete = data.details ?? {};
          if (f.reported && current !== name) yield* finish(name);
        }
        break;
      case 'test:diagnostic':
        // The runner's closing counts ("tests 712", "pass 709", ...) come as
        // top-level diagnostics; anything else is a message worth showing.
        if (data.nesting === 0 && data.file === undefined) {
          const m = /^(\w+) ([\d.]+)$/.exec(data.message);
          if (m !== null) {
            totals[m[1]] = Number(m[2]);
            break;
          }
        }
        yield dim(`  ${sourceName(data.file)}: ${data.message}`) + '\n';
        break;
      default:
        break;
    }
    if (type === 'test:start' || type === 'test:pass' || type === 'test:fail') fileOf(sourceName(data.file)).reported = true;
  }
  for (const name of files.keys()) yield* finish(name);

  let out = '\n';
  for (const s of skips) out += yellow('skipped: ') + s + '\n';
  if (failures.length > 0) out += `\n${red('Failures:')}\n${failures.join('\n')}\n`;
  const failed = (totals.fail ?? 0) + (totals.cancelled ?? 0);
  const secs = ((totals.duration_ms ?? Date.now() - started) / 1000).toFixed(1);
  const line = `${totals.pass ?? 0} passed, ${failed} failed, ${totals.skipped ?? 0} skipped, ${totals.todo ?? 0} todo  (${files.size} files, ${secs} s)`;
  out += '\n' + (failed > 0 ? red(line) : green(line)) + '\n';
  yield out;
}
