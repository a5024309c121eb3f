// Property-based bypass tests (fast-check): random path spellings and random Authorization
// headers, each sent to the guarded app and its unguarded twin. A failure prints the seed and the
// shrunk request, so it can be replayed with fc.assert's { seed, path }.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { Probe } from '../../src/self-test/corpus.js';
import { MemoryKeyStore, type BearerGuardOptions } from '../../src/index.js';
import { MAJORS, TOKEN } from '../helpers/apps.js';
import { fillerEntries, makeKey } from '../helpers/keys.js';
import { fire, PUBLIC_HANDLERS, serveGuardedAndTwin, sig, type Shot } from './harness.js';

const SEEDS = ['/', '/v2/', '/v2/models/', '/v2/models/iris', '/v2/models/iris/predict', '/v2/other'];
const INSERTS = ['/', '//', '/./', '/../', '/x/../', ';x', '%2F', '%2f', '%5C', '\\', '%00', '%20', '%09', '.', '%2e', '%2E%2E', '%C0%AF', '\xef\xbc\x8f', '?', '#', '%3F', '%23', ';'];
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/=';

type Mutation = { kind: 'case' | 'encode-lower' | 'encode-upper' | 'insert'; at: number; what: number };
const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('case', 'encode-lower', 'encode-upper', 'insert'),
  at: fc.nat(),
  what: fc.nat(INSERTS.length - 1),
});

function mutate(path: string, m: Mutation): string {
  const i = m.at % (path.length + 1);
  const c = path.charAt(Math.min(i, path.length - 1));
  const hex = c.charCodeAt(0).toString(16).padStart(2, '0');
  switch (m.kind) {
    case 'case': return path.slice(0, i) + (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()) + path.slice(i + 1);
    case 'encode-lower': return path.slice(0, i) + `%${hex}` + path.slice(i + 1);
    case 'encode-upper': return path.slice(0, i) + `%${hex.toUpperCase()}` + path.slice(i + 1);
    case 'insert': return path.slice(0, i) + INSERTS[m.what]! + path.slice(i);
  }
}

const spelling = fc.record({
  seed: fc.constantFrom(...SEEDS),
  mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }),
  method: fc.constantFrom('GET', 'HEAD', 'POST', 'DELETE', 'OPTIONS'),
}).map(({ seed, mutations, method }) => ({ seed, method, target: mutations.reduce(mutate, seed) }));

/** An Authorization header built from parts around `TOKEN`, with its validity decided by RFC 6750 + RFC 9110 rules. */
const credentialFor = (TOKEN: string) => fc.record({
  scheme: fc.constantFrom('Bearer', 'bearer', 'BEARER', 'bEARER', 'Bearer2', 'Basic', 'Token', 'Bearer:', '', 'B\xd0\xb5arer', 'Bearer='),
  sep: fc.constantFrom(' ', '  ', '   ', '\t', '\xa0', '', ' , ', '= '),
  token: fc.oneof(
    { arbitrary: fc.constant(TOKEN), weight: 6 },
    fc.tuple(fc.nat(TOKEN.length - 1), fc.constantFrom(...B64)).map(([i, ch]) => TOKEN.slice(0, i) + ch + TOKEN.slice(i + 1)),
    fc.nat(TOKEN.length - 1).map((i) => TOKEN.slice(0, i) + TOKEN.slice(i + 1)),
    fc.tuple(fc.nat(TOKEN.length), fc.constantFrom(...B64)).map(([i, ch]) => TOKEN.slice(0, i) + ch + TOKEN.slice(i)),
    fc.nat(TOKEN.length - 1).map((i) => TOKEN.slice(0, i)),
    fc.nat(TOKEN.length - 1).map((i) => TOKEN.slice(i + 1)),
    fc.string({ unit: fc.constantFrom(...B64), minLength: 0, maxLength: 80 }),
  ),
  trailing: fc.constantFrom('', ' ', '\t', ',', ' x'),
  lines: fc.constantFrom(1, 1, 1, 2),
  second: fc.constantFrom('first', 'second'),
  noise: fc.subarray(['X-Original-URL: /', 'X-Rewrite-URL: /v2/', 'X-Forwarded-Prefix: /v2', 'Proxy-Authorization: Bearer x', 'X-HTTP-Method-Override: GET']),
  // A third of the headers keep a well-formed frame, so that near misses of the token itself are common.
  wellFormed: fc.constantFrom(false, false, true),
}).map((raw) => {
  const c = raw.wellFormed ? { ...raw, scheme: raw.scheme.toLowerCase() === 'bearer' ? raw.scheme : 'Bearer', sep: ' ', lines: 1, trailing: '' } : raw;
  const line = `Authorization: ${c.scheme}${c.sep}${c.token}${c.trailing}`;
  const headers = c.lines === 1 ? [line] : c.second === 'first' ? [line, 'Authorization: Bearer x'] : ['Authorization: Bearer x', line];
  // Node trims optional whitespace (space, tab) at the end of a header value; nothing else.
  const valid = c.lines === 1 && c.scheme.toLowerCase() === 'bearer' && /^ +$/.test(c.sep) && c.token === TOKEN && /^[ \t]*$/.test(c.trailing);
  return { headers: [...headers, ...c.noise], valid };
});

const probe = (method: string, target: string, headers: string[]): Probe => {
  const post = method === 'POST';
  return {
    family: 'property', seed: target, method, target, version: 'HTTP/1.1', body: post ? '{}' : '',
    headers: ['Host: 127.0.0.1', ...headers, ...(post ? ['Content-Type: application/json', 'Content-Length: 2'] : [])],
  };
};

/** The invariant for a request without a valid token: refused by the table's 401, or exactly the twin's answer with no protected handler run. */
function assertRefusedOrPublic(g: Shot, u: Shot, what: string): void {
  assert.deepEqual(g.hits.filter((h) => !PUBLIC_HANDLERS.has(h)), [], `protected handler ran: ${what}`);
  if (g.reply.status === 401) {
    assert.match(g.reply.headers['www-authenticate'] ?? '', /^Bearer realm="api"(, error="invalid_(token|request)")?$/, what);
    assert.deepEqual(g.hits, [], what);
  } else {
    assert.equal(sig(g), sig(u), `differs from the unguarded twin: ${what}`);
  }
}

// The single token, and a real named key (so near misses meet the checksum rule) among 5,000.
const KEY = makeKey('service');
const SETUPS: Array<{ name: string; token: string; guard: BearerGuardOptions }> = [
  { name: 'the single token', token: TOKEN, guard: {} },
  { name: 'a keyring of 5,001 keys', token: KEY.token, guard: { token: undefined, argv: [], env: {}, keyStore: new MemoryKeyStore([...fillerEntries(5000), KEY.entry]) } },
];

for (const { label, express } of MAJORS) {
  for (const { name, token: TOKEN, guard } of SETUPS) {
  const credential = credentialFor(TOKEN);
  describe(`properties on ${label} with ${name}`, () => {
    const apps = serveGuardedAndTwin(express, guard);
    const both = async (p: Probe): Promise<[Shot, Shot]> => [(await fire(apps.guarded, [p], () => [], 1))[0]!, (await fire(apps.twin, [p], () => [], 1))[0]!];

    test('any path spelling: refused or public without the token, the twin\'s answer with it', async (t) => {
      let runs = 0;
      await fc.assert(fc.asyncProperty(spelling, async ({ method, target }) => {
        runs++;
        const what = JSON.stringify(`${method} ${target}`);
        const [g, u] = await both(probe(method, target, []));
        assertRefusedOrPublic(g, u, what);
        const [gt, ut] = await both(probe(method, target, [`Authorization: Bearer ${TOKEN}`]));
        assert.equal(sig(gt), sig(ut), `with the token, differs from the unguarded twin: ${what}`);
      }), { numRuns: 400 });
      t.diagnostic(`${label}: ${runs} random spellings, each sent with and without the token to both apps`);
    });

    test('any Authorization header: passes exactly when RFC 6750 says it carries the valid token', async (t) => {
      const seen = { valid: 0, refused: 0 };
      await fc.assert(fc.asyncProperty(credential, fc.constantFrom('/v2/models/', '/v2/models/iris'), async ({ headers, valid }, path) => {
        const what = JSON.stringify(headers);
        const [g, u] = await both(probe('GET', path, headers));
        if (valid) {
          seen.valid++;
          assert.equal(sig(g), sig(u), `valid header refused: ${what}`);
        } else {
          seen.refused++;
          assert.equal(g.reply.status, 401, `invalid header let through: ${what}`);
          assertRefusedOrPublic(g, u, what);
        }
      }), { numRuns: 600 });
      t.diagnostic(`${label}: ${seen.valid + seen.refused} random headers (${seen.valid} valid, ${seen.refused} refused)`);
      assert.ok(seen.valid > 0 && seen.refused > 0, 'both kinds generated');
    });
  });
  }
}
