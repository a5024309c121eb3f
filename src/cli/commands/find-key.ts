// Finding a key by id among the entries of a keys file or Redis, failing with a message that never echoes a token.
import type { KeyEntry } from '../../keys/types.js';
import { mayContainToken } from '../../safety/redact.js';
import { failure } from '../errors.js';

/**
 * The index of the entry with `id`.
 * @param where - names the keys in messages, e.g. `keys file keys.json` (a backend's description)
 * @throws CliError (failure) `no key with id <id> in <where>`; an id that looks like a token (say,
 *   a pasted token) or is not printable is not repeated
 */
export function findKey(entries: readonly KeyEntry[], id: string, where: string): number {
  const index = entries.findIndex((e) => e.id === id);
  if (index !== -1) return index;
  if (mayContainToken(id)) {
    throw failure(`no key with the id given in ${where} (the id given looks like a token and is not shown); ids look like key_qkzvbwhtmrxa, see bearer-guard keys list`);
  }
  if (!/^[\x21-\x7e]{1,100}$/.test(id)) throw failure(`no key with the id given in ${where}; see bearer-guard keys list`);
  throw failure(`no key with id ${id} in ${where}; see bearer-guard keys list`);
}
