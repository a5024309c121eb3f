// Recognises text that looks like a generated token, so that no message or log line echoes it.

// A run of b64token characters: what a pasted token would show up as inside a longer value.
const B64_RUN = /[A-Za-z0-9\-._~+/=]{12,}/g;
const ALNUM_RUN = /[A-Za-z0-9]{12,}/g;

/**
 * True when `text` holds something that looks like a generated token, so that a message must
 * not echo it: a run of 12 or more b64token characters that either mixes letters and digits over
 * 12 characters with no separator, or switches between lower case, upper case and digits at
 * least once every 8 characters. Names people type (`missing-3`, `DEEPAAS_`, `/run/secrets/api_token`,
 * `maxTokenLength`) do not; random base64, base64url, hex and UUID tokens do. Tokens made of
 * words only (`correct-horse-battery-staple`) cannot be told from names and are not recognised.
 * @internal
 */
export function mayContainToken(text: string): boolean {
  for (const [run] of text.matchAll(B64_RUN)) {
    for (const [alnum] of run.matchAll(ALNUM_RUN)) {
      if (/[0-9]/.test(alnum) && /[A-Za-z]/.test(alnum)) return true;
    }
    if (classSwitches(run) >= Math.max(3, run.length / 8)) return true;
  }
  return false;
}

/** How often adjacent characters switch between lower case, upper case and digit. */
function classSwitches(run: string): number {
  let switches = 0;
  let previous = 0;
  for (let i = 0; i < run.length; i++) {
    const c = run.charCodeAt(i);
    const kind = c >= 48 && c <= 57 ? 1 : c >= 65 && c <= 90 ? 2 : c >= 97 && c <= 122 ? 3 : 0;
    if (kind !== 0 && previous !== 0 && kind !== previous) switches++;
    previous = kind;
  }
  return switches;
}
