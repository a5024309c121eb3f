// The spec hash an approval is bound to: SHA-256 of the spec's canonical JSON, or of its bytes.
import { createHash } from 'node:crypto';
import { canonicalize } from './canonical-json.js';

/** What a governed action's spec may be: a JSON value (hashed canonically), or text or bytes (hashed as they are). */
export type ApprovalSpec = object | string | Uint8Array;

/**
 * `sha256:<64 lower-case hex>` of `spec`: a string as its UTF-8 bytes, a Buffer or Uint8Array as
 * its bytes, anything else as its RFC 8785 canonical JSON (so key order and whitespace of the
 * JSON a client sent do not matter).
 *
 * @throws TypeError when `spec` is not a JSON value (see {@link canonicalize})
 */
export function specHash(spec: ApprovalSpec | null | number | boolean): string {
  const bytes = typeof spec === 'string' ? Buffer.from(spec, 'utf8') : spec instanceof Uint8Array ? spec : Buffer.from(canonicalize(spec), 'utf8');
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}
