// Options several commands share: --keys-file or --redis-url (and --redis-prefix), --json and the repeatable --scope and --grant-scope.
import { Option } from 'commander';
import { KEYS_FILE_ENV } from '../keys-file.js';
import { REDIS_PREFIX_ENV, REDIS_URL_ENV, REDIS_URL_FILE_ENV } from '../redis-source.js';

/** `--keys-file <path>`, defaulting to env AUTH_KEYS_FILE (resolved by openKeysBackend). */
export function keysFileOption(): Option {
  return new Option('--keys-file <path>', `the keys file (JSON); default: env ${KEYS_FILE_ENV}`);
}

/** `--redis-url <url>`: the keys in Redis instead of a keys file. */
export function redisUrlOption(): Option {
  return new Option('--redis-url <url>', `the keys in Redis instead of a keys file, e.g. redis://127.0.0.1:6379/0; default: env ${REDIS_URL_ENV}, or the file env ${REDIS_URL_FILE_ENV} names (better for a URL with a password: arguments show in ps)`);
}

/** `--redis-prefix <prefix>`: the prefix of bearer-guard's names in Redis. */
export function redisPrefixOption(): Option {
  return new Option('--redis-prefix <prefix>', `the prefix of bearer-guard's names in Redis; default: env ${REDIS_PREFIX_ENV}, else bearer-guard:`);
}

/** `--json`, with what it prints. */
export function jsonOption(what: string): Option {
  return new Option('--json', what);
}

/** `--scope <scope>`, repeatable, collected into an array (empty by default). */
export function scopeOption(): Option {
  return new Option('--scope <scope>', 'a scope the key grants, e.g. models:read, models:* or * (repeat for more)')
    .argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value])
    .default([], 'none');
}

/** `--grant-scope <scope>`, repeatable: the scopes an enrollment token gives its agents. */
export function grantScopeOption(): Option {
  return new Option('--grant-scope <scope>', 'enrollment tokens: a scope each enrolled agent gets, e.g. models:predict (repeat for more)')
    .argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value])
    .default([], 'none');
}
