// Where the keys come from, for the start-up line: Redis (URL without its password, and prefix), or nothing to add.
import { loadAuthConfig } from 'bearer-guard';

/**
 * `keys from Redis redis://host:6379/0, prefix bearer-guard:` when the keys come from Redis,
 * otherwise the empty string (the start-up line then says only the throttle).
 */
export function keysSourceNote(argv: readonly string[]): string {
  const config = loadAuthConfig({ envPrefix: 'DEEPAAS_', argv });
  if (config.redisUrl === undefined) return '';
  // Scheme, host, port and database only: never the user, password or query.
  const url = new URL(config.redisUrl.reveal());
  const db = url.pathname === '/' ? '' : url.pathname;
  return `keys from Redis ${url.protocol}//${url.host}${db}, prefix ${config.redisPrefix ?? 'bearer-guard:'}`;
}
