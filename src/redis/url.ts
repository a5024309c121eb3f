// Redis URLs in messages: checked for their scheme, and shown without credentials.
import { BearerGuardConfigError } from '../errors/startup.js';

/**
 * The URL as messages and descriptions may show it: scheme, host, port and database, without
 * the username, password or query (ioredis reads options, a password among them, from the query).
 *
 * @param url - a Redis URL, e.g. `redis://:pw@127.0.0.1:6379/0`
 * @returns e.g. `redis://127.0.0.1:6379/0`; `(a Redis URL that cannot be parsed)` when it is not a URL
 * @example
 * ```ts
 * redisUrlLabel('redis://user:secret@cache:6379/2'); // 'redis://cache:6379/2'
 * ```
 */
export function redisUrlLabel(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '(a Redis URL that cannot be parsed)';
  }
  const path = parsed.pathname === '/' ? '' : parsed.pathname;
  return `${parsed.protocol}//${parsed.host}${path}`;
}

/**
 * Checks that `url` is a `redis://` or `rediss://` URL with a host.
 *
 * @param url - the value
 * @param source - where it came from, e.g. `env AUTH_REDIS_URL` (named in the message; the value never is)
 * @throws BearerGuardConfigError (`ERR_BEARER_GUARD_REDIS`) when it is not
 * @example
 * ```ts
 * checkRedisUrl(process.env.AUTH_REDIS_URL ?? '', 'env AUTH_REDIS_URL');
 * ```
 */
export function checkRedisUrl(url: string, source: string): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') || parsed.hostname === '') {
    throw new BearerGuardConfigError('ERR_BEARER_GUARD_REDIS', `${source} must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379/0 (value not shown)`);
  }
}
