// Path spellings an attacker tries: every way to write a path that a string-comparing guard and
// Express's router might disagree on.

/** One way of writing a path, and the family of tricks it belongs to. */
export interface PathSpelling {
  /** Family name, for counting outcomes (e.g. `case`, `percent-encoding`). */
  readonly family: string;
  /**
   * The request-target path as sent on the wire. Characters above U+00FF never appear: raw
   * UTF-8 is spelled as its bytes, one latin1 character per byte.
   */
  readonly path: string;
}

/** `s` as its UTF-8 bytes, one latin1 character per byte: how raw non-ASCII goes on the wire. */
export const utf8Bytes = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');
const hex = (c: string, upper: boolean): string => {
  const h = c.charCodeAt(0).toString(16).padStart(2, '0');
  return `%${upper ? h.toUpperCase() : h}`;
};
const isLetter = (c: string): boolean => /[a-z]/i.test(c);

/** Applies `fn` to each segment index in turn, yielding the rewritten path. */
function perSegment(segments: readonly string[], trailing: boolean, fn: (s: string, i: number) => string | undefined): string[] {
  const out: string[] = [];
  segments.forEach((seg, i) => {
    const next = fn(seg, i);
    if (next === undefined || next === seg) return;
    const copy = [...segments];
    copy[i] = next;
    out.push(`/${copy.join('/')}${trailing ? '/' : ''}`);
  });
  return out;
}

/**
 * Every spelling of `path` in the families of the adversarial corpus: case, slashes,
 * percent-encoding (lower and upper hex), encoded separators, dot segments, matrix parameters,
 * `%00 %20 %09`, overlong UTF-8, full-width solidus, Unicode case folding and very long paths.
 * The result is de-duplicated and starts with `path` itself (family `canonical`).
 *
 * @param path - an origin-form path starting with `/`, without query string
 * @returns the spellings, each with its family
 */
export function pathSpellings(path: string): PathSpelling[] {
  const trailing = path.length > 1 && path.endsWith('/');
  const segments = path.split('/').slice(1, trailing ? -1 : undefined).filter((s, i, all) => s !== '' || all.length > 1);
  const join = (segs: readonly string[], slash = trailing): string => `/${segs.join('/')}${slash && segs.length > 0 ? '/' : ''}`;
  const list: PathSpelling[] = [];
  const add = (family: string, ...paths: string[]): void => {
    for (const p of paths) list.push({ family, path: p });
  };

  add('canonical', path);
  // Case: whole path, each segment, first letter of each segment.
  add('case', path.toUpperCase(), ...perSegment(segments, trailing, (s) => s.toUpperCase()));
  add('case', ...perSegment(segments, trailing, (s) => s.charAt(0).toUpperCase() + s.slice(1)));
  add('case', [...path].map((c, i) => (i % 2 ? c.toUpperCase() : c)).join(''));
  // Slashes: trailing toggled, doubled, tripled, leading.
  add('slashes', trailing ? join(segments, false) : `${path}/`, `${path}//`, `/${path}`, `//${path}`);
  add('slashes', ...segments.map((_, i) => join([...segments.slice(0, i), '', ...segments.slice(i)])));
  add('slashes', path.replace(/\//g, '//'));
  // Percent-encoded letters, in lower and upper hex.
  for (const upper of [false, true]) {
    add('percent-encoding', ...perSegment(segments, trailing, (s) => (isLetter(s.charAt(0)) ? hex(s.charAt(0), upper) + s.slice(1) : undefined)));
    add('percent-encoding', ...perSegment(segments, trailing, (s) => (s.length > 1 && isLetter(s.charAt(s.length - 1)) ? s.slice(0, -1) + hex(s.charAt(s.length - 1), upper) : undefined)));
    add('percent-encoding', ...perSegment(segments, trailing, (s) => [...s].map((c) => hex(c, upper)).join('')));
  }
  // Encoded and look-alike separators between segments.
  for (const sep of ['%2F', '%2f', '%5C', '%5c', '\\', '%252F']) {
    add('encoded-separator', `/${segments.join(sep)}${trailing ? '/' : ''}`);
    if (trailing) add('encoded-separator', `/${segments.join('/')}${sep}`);
  }
  add('encoded-separator', `%2F${path.slice(1)}`, `\\${path.slice(1)}`);
  // Dot segments, raw and encoded.
  for (const dot of ['.', '%2e', '%2E', '..', '%2e%2e', '.%2E', 'bg-x/..', 'bg-x/%2e%2e', 'bg-x%2F..']) {
    add('dot-segment', ...segments.map((_, i) => join([...segments.slice(0, i), dot, ...segments.slice(i)])));
    add('dot-segment', join([...segments, dot], false));
  }
  // Matrix parameters.
  add('matrix', ...perSegment(segments, trailing, (s) => `${s};x`), `${path};`, `${path};x=1`, join(segments, false) + ';/');
  // NUL, space and tab, encoded; raw tab and raw space (these split or break the request line).
  for (const junk of ['%00', '%20', '%09', '%0a', '%0d', '%23', '%3F']) {
    add('control-bytes', `${path}${junk}`, ...perSegment(segments, trailing, (s) => `${s}${junk}`));
  }
  add('control-bytes', `${path}\t`, `${path} x`, `${path}\x00`, `${path}\x7f`);
  // Overlong UTF-8 for "/" and ".", and for the first letter of each segment.
  for (const overlong of ['%C0%AF', '%E0%80%AF', '%F0%80%80%AF', '%c0%ae']) {
    add('overlong-utf8', `/${segments.join(overlong)}${trailing ? '/' : ''}`);
  }
  add('overlong-utf8', ...perSegment(segments, trailing, (s) => (isLetter(s.charAt(0)) ? `%C1%${(0x80 | (s.charCodeAt(0) & 0x3f)).toString(16).toUpperCase()}${s.slice(1)}` : undefined)));
  // Full-width solidus and other Unicode look-alikes, raw (UTF-8 bytes) and encoded.
  for (const lookalike of ['／', '∕', '⁄', '＼']) {
    add('unicode', `/${segments.join(utf8Bytes(lookalike))}${trailing ? '/' : ''}`);
    add('unicode', `/${segments.join(encodeURIComponent(lookalike))}${trailing ? '/' : ''}`);
  }
  // Unicode case folding: long s and Kelvin sign upper-case to ASCII; dotless i; raw bytes too.
  const folds: Record<string, string> = { s: 'ſ', k: 'K', i: 'ı' };
  add('unicode', ...perSegment(segments, trailing, (s) => {
    const i = [...s].findIndex((c) => c.toLowerCase() in folds);
    if (i === -1) return undefined;
    const look = folds[s.charAt(i).toLowerCase()]!;
    return s.slice(0, i) + encodeURIComponent(look) + s.slice(i + 1);
  }));
  add('unicode', ...perSegment(segments, trailing, (s) => {
    const i = [...s].findIndex((c) => c.toLowerCase() in folds);
    return i === -1 ? undefined : s.slice(0, i) + utf8Bytes(folds[s.charAt(i).toLowerCase()]!) + s.slice(i + 1);
  }));
  // Very long paths: a long junk segment, many slashes, a long matrix parameter, and one over
  // Node's 16 KiB header limit.
  add('long', `${path}${trailing ? '' : '/'}${'a'.repeat(4000)}`, `${'/'.repeat(500)}${path.slice(1)}`, `${path};${'x'.repeat(6000)}`);
  add('long', `${'/.'.repeat(2000)}${path}`, `${path}${'/..'.repeat(1000)}`, `${path}?${'q'.repeat(17000)}`);

  const seen = new Set<string>();
  return list.filter((s) => {
    if (seen.has(s.path)) return false;
    seen.add(s.path);
    return true;
  });
}
