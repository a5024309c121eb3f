// RFC 8785 (JSON Canonicalization Scheme): the one serialization of a JSON value that approvals sign and hash.

/** A JSON value, as `JSON.parse` gives it. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

// A UTF-16 code unit that is half of a surrogate pair without its other half.
const LONE_SURROGATE = /\p{Surrogate}/u;

/**
 * The RFC 8785 canonical form of `value`: no whitespace; object members sorted by the UTF-16
 * code units of their names; numbers as ECMAScript's `Number.prototype.toString` writes them
 * (`-0` as `0`); strings escaped as `JSON.stringify` does (the RFC's rules: `\b \t \n \f \r \" \\`,
 * other controls as `\u00xx` in lower-case hex, everything else as is).
 *
 * @throws TypeError for what JSON cannot hold (undefined, functions, symbols, bigints, NaN,
 *   Infinity) and for lone surrogates, which RFC 8785 says must stop the serializer
 */
export function canonicalize(value: unknown): string {
  if (value === null || typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('canonical JSON: NaN and Infinity are not JSON numbers');
    return JSON.stringify(value); // the ECMAScript number-to-string algorithm, with -0 as "0"
  }
  if (typeof value === 'string') {
    if (LONE_SURROGATE.test(value)) throw new TypeError('canonical JSON: a string holds a lone surrogate');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalize).join(',')}]`;
  if (typeof value === 'object' && isPlainObject(value)) {
    const record = value as Record<string, unknown>;
    // The default sort compares UTF-16 code units, which is the order RFC 8785 asks for.
    const members = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort()
      .map((key) => `${canonicalize(key)}:${canonicalize(record[key])}`);
    return `{${members.join(',')}}`;
  }
  throw new TypeError(`canonical JSON: a ${typeof value === 'object' ? 'class instance' : typeof value} is not a JSON value`);
}

// What JSON.parse and body parsers make; a Date, Map or Buffer is not JSON and is refused.
function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
