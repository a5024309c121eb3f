// Base62 (digits, upper case, lower case): unbiased random strings and fixed-width number encoding.
import { randomBytes } from 'node:crypto';

/** The base62 alphabet in value order: `0-9`, then `A-Z`, then `a-z`. */
export const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * A string of `length` characters drawn uniformly from {@link BASE62}, from `crypto.randomBytes`.
 *
 * Rejection sampling keeps it unbiased: each byte's low 6 bits give a value 0-63, and 62 and 63
 * are thrown away (a plain `byte % 62` would make the first characters more likely). Each
 * character thus carries log2(62) ≈ 5.954 bits of entropy.
 *
 * @param length - how many characters (a non-negative integer)
 * @throws RangeError when `length` is not a non-negative safe integer
 */
export function randomBase62(length: number): string {
  if (!Number.isSafeInteger(length) || length < 0) throw new RangeError('randomBase62: length must be a non-negative integer');
  let out = '';
  while (out.length < length) {
    // 62 of 64 draws are kept; a little extra avoids a second round most of the time.
    const bytes = randomBytes(length - out.length + 8);
    for (let i = 0; i < bytes.length && out.length < length; i++) {
      const v = bytes[i]! & 0x3f;
      if (v < 62) out += BASE62[v];
    }
  }
  return out;
}

/**
 * `n` in base62, most significant digit first, left-padded with `0` to exactly `width` characters.
 *
 * @param n - a non-negative safe integer
 * @param width - the number of characters wanted
 * @throws RangeError when `n` is not a non-negative safe integer or needs more than `width` digits
 * @example `encodeBase62Fixed(61, 3)` is `'00z'`; `encodeBase62Fixed(62, 2)` is `'10'`.
 */
export function encodeBase62Fixed(n: number, width: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError('encodeBase62Fixed: n must be a non-negative integer');
  if (!Number.isSafeInteger(width) || width < 0) throw new RangeError('encodeBase62Fixed: width must be a non-negative integer');
  let out = '';
  let rest = n;
  for (let i = 0; i < width; i++) {
    out = BASE62[rest % 62]! + out;
    rest = Math.floor(rest / 62);
  }
  if (rest !== 0) throw new RangeError(`encodeBase62Fixed: ${n} does not fit in ${width} base62 digits`);
  return out;
}
