// Named keys for tests: real tokens from the library's generator, with their stored entries.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { formatDigest } from '../../src/keys/digest.js';
import { generateKey, generateKeyId, keyHint } from '../../src/keys/format.js';
import type { KeyEntry, KeyFamily } from '../../src/keys/types.js';

export interface TestKey {
  token: string;
  entry: KeyEntry;
}

/** A fresh key of `family`; `fields` override the entry's (scopes default to ["*"]). */
export function makeKey(family: KeyFamily = 'service', fields: Partial<KeyEntry> = {}): TestKey {
  const token = generateKey(family);
  const entry: KeyEntry = {
    id: generateKeyId(),
    name: `test-${family}`,
    family,
    scopes: ['*'],
    digest: formatDigest(token),
    hint: keyHint(token),
    created_at: '2026-01-01T00:00:00.000Z',
    ...fields,
  };
  return { token, entry };
}

/**
 * `token` with the character `from` the end (1 = last) replaced by `wanted`, or by another letter
 * when it already is `wanted`: a near miss that is never the token itself, whatever random key it is.
 */
export function changeCharFromEnd(token: string, from: number, wanted = 'A'): string {
  const i = token.length - from;
  const replacement = token[i] === wanted ? (wanted === 'B' ? 'C' : 'B') : wanted;
  return token.slice(0, i) + replacement + token.slice(i + 1);
}

/** `n` filler keys nobody presents, to make a keyring large. */
export function fillerEntries(n: number): KeyEntry[] {
  return Array.from({ length: n }, () => makeKey('service', { name: 'filler' }).entry);
}

/** Writes a keys file (mode 0600) holding `entries`. */
export function writeKeysFile(path: string, entries: readonly KeyEntry[]): void {
  writeFileSync(path, `${JSON.stringify({ version: 1, keys: entries }, null, 2)}\n`, { mode: 0o600 });
}

/** A fixed, valid entry numbered `n` (ids key_a to key_j repeat every 10), for file-format tests. */
export function sampleEntry(n: number): KeyEntry {
  return {
    id: `key_${'abcdefghij'[n % 10]}`,
    name: `key ${n}`,
    family: 'service',
    scopes: ['models:read'],
    digest: `sha256:${createHash('sha256').update(`t${n}`).digest('hex')}`,
    hint: 'bgs_…abcd',
    created_at: '2026-01-31T00:00:00.000Z',
  };
}
