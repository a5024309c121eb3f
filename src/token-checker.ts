// Constant-time token comparison: one digest of the candidate, one compare per accepted token.
import { hash, timingSafeEqual } from 'node:crypto';

/**
 * The two primitives the checker uses. Replaceable so that tests can count calls and prove
 * that the work never depends on the candidate. @internal
 */
export interface CheckerPrimitives {
  digest(value: string): Buffer;
  equal(a: Buffer, b: Buffer): boolean;
}

/** SHA-256 (fixed 32-byte output, so the compare never sees lengths) and `timingSafeEqual`. @internal */
export const defaultPrimitives: CheckerPrimitives = {
  digest: (value) => hash('sha256', value, 'buffer') as unknown as Buffer,
  equal: timingSafeEqual,
};

/**
 * Precomputes the digests of the accepted tokens.
 *
 * @param tokens - the accepted tokens (at least one)
 * @param primitives - digest and compare functions
 * @returns a function giving the index of the matching token, or -1
 * @internal
 */
export function createTokenChecker(
  tokens: readonly string[],
  primitives: CheckerPrimitives = defaultPrimitives,
): (candidate: string) => number {
  const digests = tokens.map((t) => primitives.digest(t));
  const { digest, equal } = primitives;
  return function checkToken(candidate: string): number {
    const candidateDigest = digest(candidate);
    let match = -1;
    // No early exit: every accepted digest is compared, whatever matched before.
    for (let i = 0; i < digests.length; i++) {
      const same = equal(candidateDigest, digests[i]!);
      match = same && match === -1 ? i : match;
    }
    return match;
  };
}
