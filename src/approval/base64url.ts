// Strict base64url: the alphabet only, no padding, and the one encoding of its bytes.

const ALPHABET = /^[A-Za-z0-9_-]*$/;

/**
 * The bytes of `text` when it is strict, unpadded base64url (RFC 4648 s5): only `A-Z a-z 0-9 - _`,
 * no `=`, and the canonical encoding of what it decodes to (so the unused low bits of the last
 * character are zero). Anything else is undefined: Node's own decoder silently skips bad characters.
 */
export function decodeBase64url(text: string): Buffer | undefined {
  if (!ALPHABET.test(text) || text.length % 4 === 1) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}

/** Unpadded base64url of `bytes`. */
export function encodeBase64url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}
