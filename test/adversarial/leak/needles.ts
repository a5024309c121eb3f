// The secrets of the leak audit and the "needles" that betray them: every 12-character run of
// each secret in the forms a careless log line or error could carry it (cased, base64 at every
// byte alignment, base64url, hex, percent-, JSON-, unicode- and regexp-escaped).

/** The configured token. Its `+ / = ~ . - _` make every encoding below differ from it. */
export const TOKEN = 'Qm7+Vx/2Kp~9Rt.4Lw8-Nd3_Hs6+Jb1/Yc5~Fg0.Ze4Ua==';
/** A well-formed token that is not accepted: what a client guessing or misconfigured sends. */
export const WRONG = 'Xr2/Bn5+Gt~8Jk.1Mv7-Pc4_Sw9/Dq6+Lh3~Fy0.Ta8Ob=';
/**
 * A token made only of `[A-Za-z0-9]`, as hex or base62 generators produce: it passes checks that
 * the punctuation of the other two trips (envPrefix, identifiers), so it is the one pasted there.
 */
export const PLAIN = 'Z9qK3vX7mP2wR8tL5nB4hJ6dF1gC0sYe';

export const SECRETS = { TOKEN, WRONG, PLAIN } as const;
export type SecretName = keyof typeof SECRETS;

/** Shortest run that counts as a leak: any prefix or suffix of 12+ characters contains one. */
export const WINDOW = 12;

/** One encoded form of a secret. */
export interface Form {
  secret: SecretName;
  form: string;
  text: string;
}

const bytes = (s: string): Buffer => Buffer.from(s, 'utf8');
const pct = (s: string, hexCase: (h: string) => string): string =>
  [...bytes(s)].map((b) => `%${hexCase(b.toString(16).padStart(2, '0'))}`).join('');

/**
 * Every form of `secret` a log line or an error could contain. Base64 is taken at the three byte
 * alignments (the token inside `user:token`, say), keeping only the characters that depend on
 * the secret alone.
 */
export function forms(name: SecretName, secret: string = SECRETS[name]): Form[] {
  const out: Array<[string, string]> = [
    ['raw', secret],
    ['lower case', secret.toLowerCase()],
    ['upper case', secret.toUpperCase()],
    ['base64url', bytes(secret).toString('base64url')],
    ['hex', bytes(secret).toString('hex')],
    ['hex upper case', bytes(secret).toString('hex').toUpperCase()],
    ['encodeURIComponent', encodeURIComponent(secret)],
    ['percent-encoded (every byte)', pct(secret, (h) => h.toUpperCase())],
    ['percent-encoded (every byte, lower case)', pct(secret, (h) => h)],
    ['JSON-escaped', JSON.stringify(secret).slice(1, -1)],
    ['unicode-escaped', [...secret].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')],
    ['regexp-escaped', secret.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')],
  ];
  for (const shift of [0, 1, 2]) {
    const encoded = Buffer.concat([Buffer.alloc(shift, 0x3a), bytes(secret)]).toString('base64');
    // The first 4 characters mix in the shift bytes and the last 4 the padding: drop them.
    const stable = encoded.slice(shift === 0 ? 0 : 4, encoded.length - 4);
    out.push([`base64 (byte offset ${shift})`, stable]);
  }
  return out.map(([form, text]) => ({ secret: name, form, text }));
}

/** A needle found in a text. */
export interface Finding {
  secret: SecretName;
  form: string;
  /** The 12-character run that matched. */
  run: string;
  /** A little context around it. */
  context: string;
}

/**
 * Builds a detector for all forms of all secrets. Matching is case-insensitive on every form
 * (a superset of the lower/upper-cased forms), by 12-character runs: a text contains a needle
 * if and only if it contains one of these runs, so one pass over the text finds any prefix,
 * suffix or middle piece of 12 or more characters.
 */
export function createDetector(all: readonly Form[] = [...forms('TOKEN'), ...forms('WRONG'), ...forms('PLAIN')]): {
  runs: number;
  scan(text: string): Finding[];
} {
  const runs = new Map<string, Form>();
  for (const f of all) {
    const t = f.text.toLowerCase();
    for (let i = 0; i + WINDOW <= t.length; i++) {
      const run = t.slice(i, i + WINDOW);
      if (!runs.has(run)) runs.set(run, f);
    }
  }
  return {
    runs: runs.size,
    scan(text: string): Finding[] {
      const found: Finding[] = [];
      const seen = new Set<string>();
      const folded = text.toLowerCase();
      // toLowerCase can change the length of non-ASCII text; positions are then approximate,
      // which only affects the context shown.
      for (let i = 0; i + WINDOW <= folded.length; i++) {
        const f = runs.get(folded.slice(i, i + WINDOW));
        if (f === undefined) continue;
        const key = `${f.secret}\u0000${f.form}`;
        if (seen.has(key)) continue;
        seen.add(key);
        found.push({ secret: f.secret, form: f.form, run: text.slice(i, i + WINDOW), context: text.slice(Math.max(0, i - 60), i + WINDOW + 60) });
      }
      return found;
    },
  };
}
