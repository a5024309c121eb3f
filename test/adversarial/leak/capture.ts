// Capture channels of the leak audit: process stdout/stderr and warnings, loggers, thrown errors
// (message, stack, inspect, JSON, cause chain) and every view of a returned object.
import { format, inspect } from 'node:util';
import type { BearerGuardLogger } from '../../../src/index.js';

/** One captured text, labelled with the channel it came through. */
export interface Capture {
  channel: string;
  text: string;
}

/** Collects captures for one audited path. */
export class Recorder {
  readonly captures: Capture[] = [];

  add(channel: string, text: string): void {
    this.captures.push({ channel, text });
  }

  /** A logger whose lines are captured as channel `logger`. */
  logger(): BearerGuardLogger {
    return { warn: (line: string) => this.add('logger', String(line)) };
  }

  /** Every way an error, and each error in its `cause` chain, can end up in a log. */
  error(channel: string, err: unknown, depth = 0): void {
    if (depth > 8) return;
    this.views(channel, err);
    if (err instanceof Error) {
      const e = err as unknown as Record<PropertyKey, unknown>;
      for (const key of ['message', 'stack', 'name', ...Reflect.ownKeys(err)]) {
        const text = safe(() => {
          const value = e[key];
          return typeof value === 'string' ? value : inspect(value, { showHidden: true, depth: 4 });
        });
        this.add(`${channel}[${String(key)}]`, text);
      }
      if ('cause' in err) this.error(`${channel}.cause`, err.cause, depth + 1);
      if (err instanceof AggregateError) err.errors.forEach((e, i) => this.error(`${channel}.errors[${i}]`, e, depth + 1));
    }
  }

  /** `util.inspect` (plain and showHidden), `JSON.stringify`, `String()`, `format()` and own keys. */
  views(channel: string, value: unknown): void {
    this.add(`${channel} inspect`, safe(() => inspect(value)));
    this.add(`${channel} inspect(showHidden)`, safe(() => inspect(value, { showHidden: true, depth: Infinity, getters: true })));
    this.add(`${channel} JSON.stringify`, safe(() => String(JSON.stringify(value))));
    this.add(`${channel} String()`, safe(() => String(value)));
    this.add(`${channel} template literal`, safe(() => `${value as string}`));
    this.add(`${channel} format(%s %o %O %j)`, safe(() => format('%s %o %O %j', value, value, value, value)));
    if ((typeof value === 'object' && value !== null) || typeof value === 'function') {
      this.add(`${channel} own keys`, safe(() => Reflect.ownKeys(value).map(String).join(',')));
      this.add(`${channel} structuredClone`, safe(() => inspect(structuredClone(value), { showHidden: true, depth: Infinity })));
    }
  }
}

/** Runs `fn` and returns its text, or the (captured) reason it could not be produced. */
function safe(fn: () => string): string {
  try {
    return fn();
  } catch (err) {
    return `<view threw: ${err instanceof Error ? err.message : String(err)}>`;
  }
}

/**
 * Runs `fn` with process.stdout, process.stderr (so console.*) and process warnings captured into
 * `rec` as channels `stdout`, `stderr` and `process warning`. A write made only from Node's own
 * code (the test runner's reports, flushed whenever it gets a turn) is passed on, not captured:
 * every write by the library, its dependencies or a test has a frame outside `node:`.
 */
export async function withProcessOutput<T>(rec: Recorder, fn: () => T | Promise<T>): Promise<T> {
  const { stdout, stderr } = process;
  const original = { out: stdout.write, err: stderr.write };
  const grab = (channel: string, stream: NodeJS.WriteStream, write: typeof stdout.write) =>
    function (this: unknown, chunk: unknown, ...rest: unknown[]): boolean {
      if (!fromOutsideNode()) return (write as (...a: unknown[]) => boolean).call(stream, chunk, ...rest);
      rec.add(channel, typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('latin1'));
      const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    } as typeof stdout.write;
  const onWarning = (w: Error): void => rec.error('process warning', w);
  // Node's own printer of warnings is set aside: the warning is captured here instead.
  const printers = process.listeners('warning');
  process.removeAllListeners('warning');
  stdout.write = grab('stdout', stdout, original.out);
  stderr.write = grab('stderr', stderr, original.err);
  process.on('warning', onWarning);
  try {
    return await fn();
  } finally {
    // Warnings and console output queued by fn land on the next turns.
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    stdout.write = original.out;
    stderr.write = original.err;
    process.off('warning', onWarning);
    for (const p of printers) process.on('warning', p);
  }
}

function fromOutsideNode(): boolean {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 100;
  const stack = new Error('probe').stack ?? '';
  Error.stackTraceLimit = limit;
  // Skip this function and the patched write itself.
  return stack.split('\n').slice(3).some((line) => /\((?:file:\/\/)?\/|at (?:file:\/\/)?\//.test(line));
}
