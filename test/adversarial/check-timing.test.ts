// npm run check:timing -- --quick runs and prints one t line per pair; its secret pairs differ only in the secret.
// No timing is asserted: the figures live in docs/security.md.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, test } from 'node:test';
import { rng } from '../helpers/rng.js';
import { promisify } from 'node:util';
import { makeGroups, makeSecrets, type Input } from '../../scripts/timing/classes.js';


/** How often each value comes up, as a fraction of all. */
function shares(values: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1 / values.length);
  return new Map([...m].map(([k, x]) => [k, Math.round(x * 1e9)]));
}

describe('check:timing', () => {
  test('--quick prints one t line per pair and a verdict, and exits 0', { timeout: 30_000 }, async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/check-timing.ts', '--quick', '--samples', '3000'], {
      encoding: 'utf8',
      timeout: 25_000,
    });
    const pairs = makeGroups(makeSecrets(43, 8, rng(1)), rng(2)).flatMap((g) => g.pairs);
    const lines = stdout.split('\n').filter((l) => l.startsWith('t '));
    assert.deepEqual(
      lines.map((l) => l.split(/\s+/).slice(1, 4).join(' ')),
      pairs.map((p) => `${p.a} vs ${p.b}`),
      stdout,
    );
    for (const l of lines) assert.match(l, /\s-?\d+\.\d\d\s+-?\d+\.\d\d\s/, l);
    assert.match(stdout, /^verdict: /m);
  });

  for (const length of [43, 55, 64]) {
    test(`${length}-char secrets: both classes of a secret pair use the same checkers and candidates, in the same proportions`, () => {
      const groups = makeGroups(makeSecrets(length, 8, rng(length)), rng(length + 1));
      const byId = new Map(groups.flatMap((g) => g.classes.map((c) => [c.id, c.inputs] as const)));
      for (const p of groups.flatMap((g) => g.pairs).filter((x) => x.kind === 'secret' || x.kind === 'control')) {
        const [a, b] = [byId.get(p.a)!, byId.get(p.b)!];
        const of = (inputs: readonly Input[], k: keyof Input): Map<string, number> => shares(inputs.map((i) => i[k]));
        assert.deepEqual(of(a, 'secret'), of(b, 'secret'), `${p.a} vs ${p.b}: checkers`);
        assert.deepEqual(of(a, 'candidate'), of(b, 'candidate'), `${p.a} vs ${p.b}: candidates`);
      }
    });
  }

  test('the classes relate to the secret as they say', () => {
    const groups = makeGroups(makeSecrets(43, 8, rng(3)), rng(4));
    const inputs = (id: string): readonly Input[] => groups.flatMap((g) => g.classes).find((c) => c.id === id)!.inputs;
    const every = (id: string, ok: (i: Input) => boolean): void => assert.ok(inputs(id).every(ok), id);
    every('prefix', (i) => i.candidate.length === 43 && i.candidate.slice(0, -1) === i.secret.slice(0, -1) && i.candidate !== i.secret);
    every('prefix/x', (i) => i.candidate.length === 43 && i.candidate[0] !== i.secret[0]);
    every('first', (i) => i.candidate.slice(1) === i.secret.slice(1) && i.candidate[0] !== i.secret[0]);
    every('first/x', (i) => i.candidate.slice(1) !== i.secret.slice(1));
    every('len=sec', (i) => i.candidate.length === i.secret.length);
    every('len!=sec', (i) => i.candidate.length !== i.secret.length);
  });
});
