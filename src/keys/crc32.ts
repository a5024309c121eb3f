// CRC-32 (IEEE 802.3, as zlib and PNG use it), table-driven; zlib.crc32 needs Node 20.15.

/** The 256-entry table for the reflected polynomial 0xEDB88320. */
const TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

const encoder = new TextEncoder();

/**
 * The CRC-32 of the UTF-8 bytes of `text`, as an unsigned 32-bit integer; the same value as
 * `zlib.crc32(text)`. ASCII text (every key token) is read char by char with no allocation.
 *
 * @example `crc32('123456789')` is `0xcbf43926`; `crc32('')` is `0`.
 */
export function crc32(text: string): number {
  let crc = 0xffffffff;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) return crc32Bytes(encoder.encode(text));
    crc = TABLE[(crc ^ c) & 0xff]! ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** The CRC-32 of raw bytes. */
function crc32Bytes(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
