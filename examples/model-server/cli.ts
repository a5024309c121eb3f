// The server's command line: its own options, bearer-guard's flags (left to the guard), and nothing else.
import { isIP } from 'node:net';
import { BEARER_GUARD_FLAGS } from 'bearer-guard';
import { nearest } from './did-you-mean.js';

/** The server's own options, read by {@link parseCommandLine}. */
export interface ServerOptions {
  host: string;
  port: number;
  /** The public base URL (`--base-url`, no trailing slash), or undefined: links are then relative. */
  baseUrl: string | undefined;
  /** `--help` was given: print {@link usage} and exit 0. */
  help: boolean;
}

/** Error for a bad command line; main prints its message and the usage text, and exits with 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

// The server's own options: one entry per flag (value placeholder, help line).
const OWN_FLAGS: Readonly<Record<string, { value: string; help: string }>> = {
  '--listen-ip': { value: 'IP', help: 'address to listen on (default 127.0.0.1; 0.0.0.0 or :: for all)' },
  '--listen-port': { value: 'PORT', help: 'port to listen on (default 5000; 0 picks a free port)' },
  '--base-url': { value: 'URL', help: 'public URL of the server (behind a proxy), used in links; default: relative links' },
};
const HELP_FLAGS = ['--help', '-h'];
const GUARD_FLAGS = new Map(BEARER_GUARD_FLAGS.map((f) => [f.flag, f]));
const KNOWN = [...Object.keys(OWN_FLAGS), ...GUARD_FLAGS.keys(), ...HELP_FLAGS];

/** The usage text (`--help`, and after every command-line error). */
export function usage(): string {
  const row = (left: string, help: string): string => `  ${left.padEnd(34)} ${help}`;
  return [
    'Usage: npm start -- [options]    (or: node --import tsx examples/model-server/main.ts [options])',
    '',
    'Server options:',
    ...Object.entries(OWN_FLAGS).map(([flag, o]) => row(`${flag} ${o.value}`, o.help)),
    row('--help, -h', 'print this text and exit'),
    '',
    'Authentication (read by bearer-guard; also from DEEPAAS_AUTH_* env vars):',
    ...BEARER_GUARD_FLAGS.map((f) => row(f.takesValue ? `${f.flag} VALUE` : f.flag, f.description)),
    '',
  ].join('\n');
}

/**
 * How an unknown argument may be named in a message: a flag's name (before any `=`) when it looks
 * like one. Anything else could be a token typed in the wrong place, so it is only counted.
 */
function describe(arg: string, index: number): string {
  const name = arg.split('=', 1)[0]!;
  if (/^--?[A-Za-z][A-Za-z0-9_-]{0,40}$/.test(name)) {
    const suggestion = nearest(name.replace(/_/g, '-'), KNOWN);
    return `unknown option ${name}${suggestion === undefined ? '' : ` (did you mean ${suggestion}?)`}`;
  }
  return `unexpected argument #${index} (this server takes only the options below)`;
}

/**
 * Reads argv (shaped like `process.argv`): the server's options, and bearer-guard's flags with
 * their values (checked later by the guard). Anything else is a {@link UsageError}, so a typo such
 * as `--auth-bearer-tokn` never starts a server with auth off. Messages never repeat a value.
 */
export function parseCommandLine(argv: readonly string[]): ServerOptions {
  const own = new Map<string, string>();
  let help = false;
  const args = argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    if (HELP_FLAGS.includes(arg)) {
      help = true;
    } else if (OWN_FLAGS[name] !== undefined) {
      const value = eq === -1 ? args[++i] : arg.slice(eq + 1);
      if (value === undefined) throw new UsageError(`${name} needs a value`);
      own.set(name, value);
    } else if (GUARD_FLAGS.has(name)) {
      // The guard reads (and checks) the value; a following "--flag" is left for it to refuse.
      const next = args[i + 1];
      if (GUARD_FLAGS.get(name)!.takesValue && eq === -1 && next !== undefined && !next.startsWith('--')) i++;
    } else {
      throw new UsageError(describe(arg, i + 1));
    }
  }
  return { ...listenOptions(own), baseUrl: baseUrlOption(own.get('--base-url')), help };
}

function listenOptions(own: ReadonlyMap<string, string>): { host: string; port: number } {
  const host = own.get('--listen-ip') ?? '127.0.0.1';
  if (isIP(host) === 0 && host !== 'localhost') {
    throw new UsageError('--listen-ip must be an IP address');
  }
  const portText = own.get('--listen-port') ?? '5000';
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 0 && port <= 65535)) {
    throw new UsageError('--listen-port must be an integer from 0 to 65535');
  }
  return { host, port };
}

/** `--base-url`: an absolute http(s) URL without credentials, query or fragment; trailing `/` dropped. */
function baseUrlOption(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError('--base-url must be an absolute URL, e.g. https://models.example.org');
  }
  if (!['http:', 'https:'].includes(url.protocol) || url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw new UsageError('--base-url must be an http or https URL without user, query or fragment');
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}
