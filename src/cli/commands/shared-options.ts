// Options several commands share: --keys-file, --json and the repeatable --scope and --grant-scope.
import { Option } from 'commander';
import { KEYS_FILE_ENV } from '../keys-file.js';

/** `--keys-file <path>`, defaulting to env AUTH_KEYS_FILE (resolved by keysFileOf). */
export function keysFileOption(): Option {
  return new Option('--keys-file <path>', `the keys file (JSON); default: env ${KEYS_FILE_ENV}`);
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
