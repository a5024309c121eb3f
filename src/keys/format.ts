// Key tokens `<prefix>_<random><checksum>`: generation, shape test, checksum, hint, and ids.
import { randomBytes } from 'node:crypto';
import { encodeBase62Fixed, randomBase62 } from './base62.js';
import { crc32 } from './crc32.js';
import { FAMILY_PREFIX, KEY_FAMILIES } from './types.js';
import type { KeyFamily } from './types.js';

/** Random base62 characters per token: 43 × log2(62) ≈ 256.03 bits. */
const RANDOM_LENGTH = 43;
/** Base62 digits of the CRC-32 (62^6 > 2^32). */
const CHECKSUM_LENGTH = 6;
/** Characters after `<prefix>_`. */
const BODY_LENGTH = RANDOM_LENGTH + CHECKSUM_LENGTH;

/** Length of every key token: 3-letter prefix, `_`, 43 random and 6 checksum characters. */
export const KEY_TOKEN_LENGTH = 53;

/** `[prefix + '_', family]` of every family. */
const PREFIXES: readonly (readonly [string, KeyFamily])[] = KEY_FAMILIES.map((family) => {
  const prefix = FAMILY_PREFIX[family];
  if (!/^[a-z]{3}$/.test(prefix)) throw new Error(`key prefix ${prefix} must be 3 lower-case letters`);
  return [`${prefix}_`, family] as const;
});

/** The whole shape in one regex (measured faster than a char code loop on Node 20). */
const SHAPE = new RegExp(`^(?:${PREFIXES.map(([head]) => head).join('|')})[0-9A-Za-z]{${BODY_LENGTH}}$`);

/** The base62 checksum of the part of a token before it. */
function checksumOf(head: string): string {
  return encodeBase62Fixed(crc32(head), CHECKSUM_LENGTH);
}

/**
 * A new key token of `family`: `<prefix>_`, 43 random base62 characters (at least 256 bits),
 * then the CRC-32 of all that as 6 base62 digits. 53 characters, all in RFC 6750's b64token set.
 *
 * @example `generateKey('service')` gives something like `bgs_…` (53 characters).
 */
export function generateKey(family: KeyFamily): string {
  const head = `${FAMILY_PREFIX[family]}_${randomBase62(RANDOM_LENGTH)}`;
  return head + checksumOf(head);
}

/**
 * The family of `token` when it has exactly the shape of a key token (a known prefix, `_`, then
 * 49 base62 characters), whatever its checksum; otherwise `undefined`. Cheap enough for every
 * request: a length test, one precompiled regex test and a prefix test, no allocation.
 */
export function looksLikeKeyToken(token: string): KeyFamily | undefined {
  if (token.length !== KEY_TOKEN_LENGTH || !SHAPE.test(token)) return undefined;
  for (let k = 0; k < PREFIXES.length; k++) {
    const [head, family] = PREFIXES[k]!;
    if (token.startsWith(head)) return family;
  }
  return undefined;
}

/**
 * True when `token` starts with one of our family prefixes (`bgu_`, `bgs_`, `bga_`, `bge_`).
 * Those prefixes are reserved: a token that starts with one must be a whole, valid key, so that
 * a truncated or mistyped paste is refused before any lookup. Four char tests, no allocation.
 */
export function hasKeyPrefix(token: string): boolean {
  if (token.length < 4 || token.charCodeAt(0) !== 98 /* b */ || token.charCodeAt(1) !== 103 /* g */ || token.charCodeAt(3) !== 95 /* _ */) return false;
  const c = token.charCodeAt(2);
  return c === 117 /* u */ || c === 115 /* s */ || c === 97 /* a */ || c === 101 /* e */;
}

/**
 * True when `token` has the key token shape and its last 6 characters are the checksum of the
 * rest. A checksum is no secret (anyone can compute it), so a plain comparison is fine: it only
 * lets typos and truncated pastes be told apart from unknown keys without a lookup.
 */
export function hasValidChecksum(token: string): boolean {
  if (looksLikeKeyToken(token) === undefined) return false;
  const split = KEY_TOKEN_LENGTH - CHECKSUM_LENGTH;
  return checksumOf(token.slice(0, split)) === token.slice(split);
}

/**
 * What may be shown of a token: for a key token, its prefix and `_`, `…`, and its last 4
 * characters, e.g. `bgs_…9xYz`. Those 4 characters are checksum digits, not random ones. For
 * any other token only `…` and its last 4 characters, or only `…` when it is shorter than 20
 * characters (so that a hint never shows a large part of a short secret).
 */
export function keyHint(token: string): string {
  const family = looksLikeKeyToken(token);
  if (family !== undefined) return `${FAMILY_PREFIX[family]}_…${token.slice(-4)}`;
  return token.length >= 20 ? `…${token.slice(-4)}` : '…';
}

/** `count` random lower-case letters a-z, unbiased (bytes 234-255 are rejected; 234 = 9 × 26). */
function randomLowercase(count: number): string {
  let out = '';
  while (out.length < count) {
    const bytes = randomBytes(count - out.length + 4);
    for (let i = 0; i < bytes.length && out.length < count; i++) {
      const b = bytes[i]!;
      if (b < 234) out += String.fromCharCode(97 + (b % 26));
    }
  }
  return out;
}

// Ids are letters only, with no digit: src/safety/redact.ts treats a run of 12 or more letters
// mixed with digits as a possible token and hides it, so an id that had digits could be hidden
// from the very messages meant to name it, and could never be told from a token at a glance.

/** A new key id: `key_` and 12 random lower-case letters, e.g. `key_qkzvbwhtmrxa`. Not a secret. */
export function generateKeyId(): string {
  return `key_${randomLowercase(12)}`;
}

/** A new agent id: `agt_` and 12 random lower-case letters, e.g. `agt_rfwnzcdqlmop`. Not a secret. */
export function generateAgentId(): string {
  return `agt_${randomLowercase(12)}`;
}

/** A token for the single-token setup: 32 random bytes as base64url (43 characters, no padding). */
export function generateLegacyToken(): string {
  return randomBytes(32).toString('base64url');
}
