// The classes check:timing compares: which candidate goes to which secret's checker, and what each pair answers.

/** base64url, the alphabet of the tokens that the project's own advice generates. */
export const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** SHA-256 blocks for a message of `bytes` bytes: the data, 0x80 and the 8-byte length, in 64-byte blocks. */
export function sha256Blocks(bytes: number): number {
  return Math.floor((bytes + 8) / 64) + 1;
}

/** A length other than the secret's with the secret's SHA-256 block count: secret length + 1, or - 1. */
export function nearLength(secretLength: number): number {
  const blocks = sha256Blocks(secretLength);
  if (sha256Blocks(secretLength + 1) === blocks) return secretLength + 1;
  if (secretLength > 1 && sha256Blocks(secretLength - 1) === blocks) return secretLength - 1;
  throw new RangeError(`no near length with the block count of a ${secretLength}-char secret`);
}

export type Rng = () => number;

/** A random char of the alphabet other than `c`. */
function otherChar(c: string | undefined, rng: Rng): string {
  for (;;) {
    const x = ALPHABET[Math.floor(rng() * ALPHABET.length)]!;
    if (x !== c) return x;
  }
}

/** `length` random chars of the alphabet. */
export function randomToken(length: number, rng: Rng): string {
  let s = '';
  for (let i = 0; i < length; i++) s += otherChar(undefined, rng);
  return s;
}

/** The secrets of the checkers: `same` have the length under test, `near` have {@link nearLength}. */
export interface Secrets {
  readonly same: readonly string[];
  readonly near: readonly string[];
}

/** Random secrets, `count` of each length; the `same` ones start with distinct chars (no common prefix). */
export function makeSecrets(length: number, count: number, rng: Rng): Secrets {
  const same: string[] = [];
  while (same.length < count) {
    const s = randomToken(length, rng);
    if (!same.some((x) => x[0] === s[0])) same.push(s);
  }
  return { same, near: Array.from({ length: count }, () => randomToken(nearLength(length), rng)) };
}

/** One timed call: this candidate, in a request, to the checker of this secret. */
export interface Input {
  readonly secret: string;
  readonly candidate: string;
}

export interface CandidateClass {
  readonly id: string;
  readonly description: string;
  /** Involves the valid token: a reference, not an attack; dropped where what follows the check is timed. */
  readonly reference?: true;
  /** Drawn from uniformly, one per sample. */
  readonly inputs: readonly Input[];
}

/**
 * What a pair tells:
 * - `secret`: both classes hold the same candidates and the same checkers; only whether each
 *   candidate relates to its checker's secret differs. A difference is a leak.
 * - `control`: two classes built the same way (A/A): how far apart two identical classes land in
 *   this run. If it crosses the threshold, the run cannot tell anything.
 * - `input`: the attacker's own input is longer; it may cost more, which says nothing about the secret.
 * - `reference`: the valid token against its own checker and the others (a match vs a mismatch);
 *   the response tells that anyway.
 */
export type PairKind = 'secret' | 'control' | 'input' | 'reference';

export interface Pair {
  readonly a: string;
  readonly b: string;
  readonly kind: PairKind;
  readonly question: string;
}

/** Classes sampled together, interleaved, and the pairs compared among them. */
export interface Group {
  readonly id: string;
  readonly classes: readonly CandidateClass[];
  readonly pairs: readonly Pair[];
}

/**
 * The groups, each sampled on its own. Comparing two kinds of candidate on one checker would also
 * measure the CPU: it learns the lengths and chars it sees most often (branch predictors), and
 * each checker and request object has its own place in memory, which makes some inputs run a few
 * ns faster whatever the secret. So a class is a rule pairing candidates with checkers, and the
 * two classes of a secret pair use the same strings and the same checkers in the same proportions.
 * In the content group each string also goes to exactly one checker in both classes (its own
 * secret's, or one fixed other's): sent to all seven others instead, the "unrelated" class ran
 * 0.1 to 0.5 ns apart, enough for |t| > 4.5 at two million samples.
 *
 * @param variants - candidates drawn per secret and kind
 */
export function makeGroups(s: Secrets, rng: Rng, variants = 16): Group[] {
  const L = s.same[0]!.length;
  const near = s.near[0]!.length;
  const k = s.same.length;
  const table = (f: (secret: string) => string): Map<string, string[]> => new Map(s.same.map((x) => [x, Array.from({ length: variants }, () => f(x))]));
  const own = (t: Map<string, string[]>): Input[] => s.same.flatMap((secret) => t.get(secret)!.map((candidate) => ({ secret, candidate })));
  // Checker i gets the strings made from secret i + shift: like `own`, every string goes to exactly one checker.
  const shift = 1 + Math.floor(rng() * (k - 1));
  const others = (t: Map<string, string[]>): Input[] =>
    s.same.flatMap((secret, i) => t.get(s.same[(i + shift) % k]!)!.map((candidate) => ({ secret, candidate })));
  const all = (secrets: readonly string[], candidates: readonly string[]): Input[] => secrets.flatMap((secret) => candidates.map((candidate) => ({ secret, candidate })));
  const random = (n: number): string[] => Array.from({ length: k * variants }, () => randomToken(n, rng));

  const prefix = table((x) => x.slice(0, -1) + otherChar(x.at(-1), rng));
  const first = table((x) => otherChar(x[0], rng) + x.slice(1));
  const valid = new Map(s.same.map((x) => [x, [x]]));
  const [randL, randNear] = [random(L), random(near)];
  const other = 'the same strings, each to another checker';
  return [
    {
      id: 'content',
      classes: [
        { id: 'prefix', description: `${L} chars, all but the last equal to the checker's secret (A)`, inputs: own(prefix) },
        { id: 'prefix/x', description: `${other}: no common prefix (C)`, inputs: others(prefix) },
        { id: 'first', description: `${L} chars, only the first differs from the checker's secret (D)`, inputs: own(first) },
        { id: 'first/x', description: `${other} (C)`, inputs: others(first) },
        { id: 'valid', description: "each checker's own token (reference: a match)", reference: true, inputs: own(valid) },
        { id: 'valid/x', description: `${other} (a mismatch)`, reference: true, inputs: others(valid) },
        { id: 'aa-1', description: `${L} random chars, to every checker`, inputs: all(s.same, randL) },
        { id: 'aa-2', description: 'the same as aa-1 (A/A control)', inputs: all(s.same, randL) },
      ],
      pairs: [
        { a: 'prefix', b: 'prefix/x', kind: 'secret', question: 'does a matching prefix show? (A vs C)' },
        { a: 'first', b: 'first/x', kind: 'secret', question: 'does a matching suffix show? (D vs C)' },
        { a: 'aa-1', b: 'aa-2', kind: 'control', question: 'two identical classes (A/A): the noise floor' },
        { a: 'valid', b: 'valid/x', kind: 'reference', question: 'right vs wrong token (check only)' },
      ],
    },
    {
      id: 'length',
      classes: [
        { id: 'len=sec', description: `random ${L}- and ${near}-char candidates, each to checkers with a secret of its length`, inputs: [...all(s.same, randL), ...all(s.near, randNear)] },
        { id: 'len!=sec', description: `the same candidates, each to checkers with a secret of the other length`, inputs: [...all(s.same, randNear), ...all(s.near, randL)] },
      ],
      pairs: [{ a: 'len=sec', b: 'len!=sec', kind: 'secret', question: "does the secret's length show? (CVE-2022-31142)" }],
    },
    {
      id: 'input',
      classes: [
        { id: 'len', description: `${L} random chars (the secrets' length)`, inputs: all(s.same, randL) },
        { id: 'len+1', description: `${L + 1} random chars`, inputs: all(s.same, random(L + 1)) },
        { id: 'len*2', description: `${2 * L} random chars (${sha256Blocks(2 * L)} SHA-256 blocks)`, inputs: all(s.same, random(2 * L)) },
      ],
      pairs: [
        { a: 'len', b: 'len+1', kind: 'input', question: "attacker's input a char longer (B)" },
        { a: 'len', b: 'len*2', kind: 'input', question: "attacker's input twice as long (B)" },
      ],
    },
  ];
}
