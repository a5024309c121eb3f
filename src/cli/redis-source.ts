// Which Redis a CLI command works on: --redis-url, env AUTH_REDIS_URL or AUTH_REDIS_URL_FILE, and the prefix.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { DEFAULT_REDIS_PREFIX } from '../redis/names.js';
import { checkRedisUrl } from '../redis/url.js';
import { fsReason, shownPath } from '../safety/paths.js';
import { failure, usageError } from './errors.js';
import { stripNewline } from './stdin.js';

/** The env var holding the Redis URL. */
export const REDIS_URL_ENV = 'AUTH_REDIS_URL';
/** The env var naming a file that holds the Redis URL (a URL with a password belongs in a file). */
export const REDIS_URL_FILE_ENV = 'AUTH_REDIS_URL_FILE';
/** The env var holding the prefix of the Redis names. */
export const REDIS_PREFIX_ENV = 'AUTH_REDIS_PREFIX';

/** A Redis URL and where it came from (`--redis-url`, `env AUTH_REDIS_URL`, ...), for messages. */
export interface RedisSource {
  readonly url: string;
  readonly source: string;
  readonly prefix: string;
}

const set = (value: string | undefined): value is string => value !== undefined && value !== '';

/**
 * The Redis URL from the env (`AUTH_REDIS_URL`, or the file `AUTH_REDIS_URL_FILE` names, one
 * trailing newline dropped), if either is set. Never returns the value in a message.
 * @throws CliError (usage) when both are set; (failure) when the file cannot be read or is empty
 */
export function redisUrlFromEnv(cmd: Command, env: Readonly<Record<string, string | undefined>>): { url: string; source: string } | undefined {
  const direct = env[REDIS_URL_ENV];
  const file = env[REDIS_URL_FILE_ENV];
  if (set(direct) && set(file)) throw usageError(cmd, `both ${REDIS_URL_ENV} and ${REDIS_URL_FILE_ENV} are set; set one of them`);
  if (set(direct)) return { url: direct, source: `env ${REDIS_URL_ENV}` };
  if (!set(file)) return undefined;
  const source = `the file ${shownPath(file)} (from env ${REDIS_URL_FILE_ENV})`;
  let url: string;
  try {
    url = stripNewline(readFileSync(file, 'utf8'));
  } catch (err) {
    throw failure(`${source} cannot be read: ${fsReason(err)}`);
  }
  if (url === '') throw failure(`${source} is empty; it must hold one redis:// URL`);
  return { url, source };
}

/**
 * Completes a URL with its prefix (`--redis-prefix`, else env `AUTH_REDIS_PREFIX`, else
 * `bearer-guard:`) and checks the URL's scheme.
 * @throws CliError (usage) for a URL that is not redis:// or rediss:// (naming the source, not the value), or a bad prefix
 */
export function withPrefix(cmd: Command, found: { url: string; source: string }, prefix: string | undefined, env: Readonly<Record<string, string | undefined>>): RedisSource {
  try {
    checkRedisUrl(found.url, found.source);
  } catch (err) {
    throw usageError(cmd, (err as Error).message.replace(/^bearer-guard: /, ''));
  }
  const chosen = prefix ?? (set(env[REDIS_PREFIX_ENV]) ? env[REDIS_PREFIX_ENV] : DEFAULT_REDIS_PREFIX);
  if (!/^[\x21-\x7e]{0,64}$/.test(chosen)) throw usageError(cmd, '--redis-prefix (or AUTH_REDIS_PREFIX) must be up to 64 printable ASCII characters without spaces, e.g. bearer-guard:');
  return { ...found, prefix: chosen };
}
