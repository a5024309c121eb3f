// Reads the server's own command-line options (--listen-ip, --listen-port); token options are left to the guard.
import { isIP } from 'node:net';

export interface ListenOptions {
  host: string;
  port: number;
}

/** Error for a bad command line; main prints its message (which never repeats other arguments). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The value of `--name value` or `--name=value` (last one wins); undefined when absent. */
function option(args: readonly string[], name: string): string | undefined {
  let value: string | undefined;
  args.forEach((arg, i) => {
    if (arg === name) {
      const next = args[i + 1];
      if (next === undefined) throw new UsageError(`${name} needs a value`);
      value = next;
    } else if (arg.startsWith(`${name}=`)) {
      value = arg.slice(name.length + 1);
    }
  });
  return value;
}

/**
 * Parses `--listen-ip` (default 127.0.0.1, an IPv4 or IPv6 address, as in DEEPaaS) and
 * `--listen-port` (default 5000; 0 picks a free port) from an argv shaped like `process.argv`.
 * Every other argument is ignored here.
 */
export function parseListenOptions(argv: readonly string[]): ListenOptions {
  const args = argv.slice(2);
  const host = option(args, '--listen-ip') ?? '127.0.0.1';
  if (isIP(host) === 0 && host !== 'localhost') {
    throw new UsageError('--listen-ip must be an IP address');
  }
  const portText = option(args, '--listen-port') ?? '5000';
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 0 && port <= 65535)) {
    throw new UsageError('--listen-port must be an integer from 0 to 65535');
  }
  return { host, port };
}
