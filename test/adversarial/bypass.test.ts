// The bypass corpus on Express 5 and 4: thousands of raw requests at a guarded app and at its
// unguarded twin. Without the valid token no protected handler runs and the answer is a 401 of
// the table (or exactly what the unguarded twin answers, for public paths and for requests Node
// itself refuses); with it, every spelling gets what the unguarded twin gives it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildCorpus, WRONG_TOKEN, type Probe, type Seed } from '../../src/self-test/corpus.js';
import { pathSpellings } from '../../src/self-test/spellings.js';
import { MemoryKeyStore, type BearerGuardOptions } from '../../src/index.js';
import { MAJORS, TOKEN } from '../helpers/apps.js';
import { fillerEntries, makeKey } from '../helpers/keys.js';
import { credentialVariants } from './credentials.js';
import { fire, fromExpress, PUBLIC_HANDLERS, serveGuardedAndTwin, sig, startProbeApp, type Shot } from './harness.js';

const SEEDS: Seed[] = [
  { path: '/', method: 'GET' },
  { path: '/v2/', method: 'GET' },
  { path: '/v2/models/', method: 'GET' },
  { path: '/v2/models/iris', method: 'GET' },
  { path: '/v2/models/iris/predict', method: 'POST' },
  { path: '/v2/no-such-route', method: 'GET' },
];
const HOST = 'Host: 127.0.0.1';

// Each run of the corpus: the single configured token, and a named key among 5,000 in a keyring
// (a real bgs_ key, so near misses of it also meet the checksum check).
const KEY = makeKey('service');
const SETUPS: Array<{ name: string; token: string; guard: BearerGuardOptions }> = [
  { name: 'the single token', token: TOKEN, guard: {} },
  { name: 'a keyring of 5,001 keys', token: KEY.token, guard: { token: undefined, argv: [], env: {}, keyStore: new MemoryKeyStore([...fillerEntries(5000), KEY.entry]) } },
];

/** The three 401s of the response table, exactly. */
const TABLE_401: Record<string, { challenge: string; body: string }> = {
  missing_token: { challenge: 'Bearer realm="api"', body: '{"detail":"Bearer token required"}' },
  invalid_token: { challenge: 'Bearer realm="api", error="invalid_token"', body: '{"detail":"Invalid bearer token","error":"invalid_token"}' },
  invalid_request: { challenge: 'Bearer realm="api", error="invalid_request"', body: '{"detail":"Invalid bearer token","error":"invalid_request"}' },
};

/** Requests without the valid token: the selfTest corpus, near-miss credentials, wrong tokens on every spelling. */
function noTokenProbes(token: string): Probe[] {
  const probes = buildCorpus(SEEDS);
  for (const seed of SEEDS.slice(1, 5)) {
    for (const c of credentialVariants(token).filter((v) => !v.valid)) {
      const method = c.body?.method ?? seed.method;
      probes.push({
        family: `credential:${c.name.replace(/ \d+$/, '')}`, seed: seed.path, method, target: seed.path + (c.query ?? ''),
        headers: [HOST, ...c.headers, ...(c.body?.headers ?? (method === 'POST' ? ['Content-Type: application/json', 'Content-Length: 2'] : []))],
        body: c.body?.body ?? (method === 'POST' ? '{}' : ''), version: 'HTTP/1.1',
      });
    }
  }
  for (const seed of SEEDS) {
    for (const s of pathSpellings(seed.path)) {
      const post = seed.method === 'POST';
      probes.push({
        family: `path:${s.family}+wrong-token`, seed: seed.path, method: seed.method, target: s.path, version: 'HTTP/1.1', body: post ? '{}' : '',
        headers: [HOST, `Authorization: Bearer ${WRONG_TOKEN}`, ...(post ? ['Content-Type: application/json', 'Content-Length: 2'] : [])],
      });
    }
  }
  return probes;
}

/** Requests that carry an equivalent of the valid header (must pass). */
function validCredentialProbes(token: string): Probe[] {
  return SEEDS.slice(2, 4).flatMap((seed) => credentialVariants(token).filter((v) => v.valid).map((c): Probe => ({
    family: `valid:${c.name}`, seed: seed.path, method: 'GET', target: seed.path, headers: [HOST, ...c.headers], body: '', version: 'HTTP/1.1',
  })));
}

const carriesCredentials = (p: Probe): boolean => p.family.startsWith('credential') || p.family.startsWith('token-elsewhere') || p.family.includes('wrong-token');

for (const { label, express } of MAJORS) {
  for (const setup of SETUPS) {
  describe(`bypass corpus on ${label} with ${setup.name}`, () => {
    const apps = serveGuardedAndTwin(express, setup.guard);
    const VALID = `Authorization: Bearer ${setup.token}`;

    test('no protected handler runs without the valid token; with it, the guard is invisible', async (t) => {
      const without = noTokenProbes(setup.token);
      const withToken = without.filter((p) => !carriesCredentials(p));
      const equivalents = validCredentialProbes(setup.token);
      const [g0, u0, g1, u1, g2, u2] = [
        await fire(apps.guarded, without), await fire(apps.twin, without),
        await fire(apps.guarded, withToken, () => [VALID]), await fire(apps.twin, withToken, () => [VALID]),
        await fire(apps.guarded, equivalents), await fire(apps.twin, equivalents),
      ];
      const outcomes: Record<string, number> = {};
      const count = (k: string): void => void (outcomes[k] = (outcomes[k] ?? 0) + 1);
      const problems: string[] = [];
      const show = (p: Probe): string => JSON.stringify(`${p.method} ${p.target.slice(0, 120)} ${p.headers.filter((h) => !h.startsWith('Host')).join(' | ').slice(0, 160)}`);

      without.forEach((p, i) => {
        const g = g0[i]!;
        const u = u0[i]!;
        const protectedRan = g.hits.filter((h) => !PUBLIC_HANDLERS.has(h));
        if (protectedRan.length > 0) problems.push(`protected handler ${protectedRan.join(',')} ran without the token: ${show(p)}`);
        if (g.reply.status === 401) {
          const code = /error="(\w+)"/.exec(g.reply.headers['www-authenticate'] ?? '')?.[1] ?? 'missing_token';
          const row = TABLE_401[code];
          const body = p.method === 'HEAD' ? '' : row?.body; // HEAD: same headers, no body
          if (!row || g.reply.headers['www-authenticate'] !== row.challenge || g.reply.body !== body || g.reply.headers['content-type'] !== 'application/json; charset=utf-8' || g.reply.headers['cache-control'] !== 'no-store') {
            problems.push(`401 not from the table (${g.reply.headers['www-authenticate']} ${g.reply.body}): ${show(p)}`);
          }
          if (g.hits.length > 0) problems.push(`401 after a handler ran: ${show(p)}`);
          count(`401 ${code}`);
        } else {
          // Not refused: must be exactly what the unguarded app answers, and only public handlers ran.
          if (sig(g) !== sig(u)) problems.push(`${g.reply.status} differs from the unguarded twin (${sig(u).slice(0, 80)}): ${show(p)}`);
          count(!fromExpress(g.reply) ? `refused by Node before Express: ${g.reply.status || g.reply.failure}` : g.hits.length > 0 ? `public handler: ${g.reply.status}` : `public path, no route: ${g.reply.status}`);
        }
      });

      const canonical = new Map<string, Shot>();
      withToken.forEach((p, i) => p.family === 'path:canonical' && canonical.set(p.seed, g1[i]!));
      let sameRoute = 0;
      withToken.forEach((p, i) => {
        const g = g1[i]!;
        if (sig(g) !== sig(u1[i]!)) problems.push(`with the token, differs from the unguarded twin: ${sig(g).slice(0, 80)} vs ${sig(u1[i]!).slice(0, 80)}: ${show(p)}`);
        const c = canonical.get(p.seed);
        if (c && p.method === 'GET' && c.hits.length > 0 && g.hits.join() === c.hits.join()) {
          sameRoute++;
          if (g.reply.status !== c.reply.status) problems.push(`same route as the canonical spelling, other status: ${show(p)}`);
          const params = (s: Shot): string => JSON.stringify((JSON.parse(s.reply.body || '{}') as { params?: unknown }).params);
          if (params(g) === params(c) && g.reply.body !== c.reply.body) problems.push(`same route and params as the canonical spelling, other body: ${show(p)}`);
        }
        count(`with token: ${g.hits.length > 0 ? 'reached a route' : g.reply.status === 0 ? 'no response' : `no route (${g.reply.status})`}`);
      });
      equivalents.forEach((p, i) => {
        if (g2[i]!.hits.length === 0 || sig(g2[i]!) !== sig(u2[i]!)) problems.push(`equivalent valid header refused: ${show(p)} -> ${g2[i]!.reply.status}`);
        count('equivalent valid header: passed');
      });

      const distinct = new Set([...without, ...withToken.map((p) => ({ ...p, headers: [...p.headers, VALID] })), ...equivalents]
        .map((p) => JSON.stringify([p.method, p.target, p.headers, p.body, p.version]))).size;
      t.diagnostic(`${label}: ${distinct} distinct requests to the guarded app (${without.length} without the valid token, ${withToken.length + equivalents.length} with it), each also sent to the unguarded twin`);
      t.diagnostic(`${label}: ${sameRoute} spellings reached the same route as their canonical spelling`);
      for (const [k, v] of Object.entries(outcomes).sort()) t.diagnostic(`  ${k}: ${v}`);
      assert.deepEqual(problems.slice(0, 20), [], `${problems.length} problem(s)`);
      assert.ok(distinct >= 2000, `only ${distinct} distinct requests`);
      assert.ok((outcomes['401 missing_token'] ?? 0) > 0 && (outcomes['401 invalid_token'] ?? 0) > 0 && (outcomes['401 invalid_request'] ?? 0) > 0);
    });
  });
  }
}

// The same invariants when the app turns on Express's case-sensitive and strict routing, and when
// the guard sits in a router mounted at /v2 with a relative public path: the guard must follow.
const VALID = `Authorization: Bearer ${TOKEN}`;
const LAYOUTS = [
  { name: 'case-sensitive and strict routing', settings: { 'case sensitive routing': true, 'strict routing': true } },
  { name: 'strict routing only', settings: { 'strict routing': true } },
];
for (const { label, express } of MAJORS) {
  for (const layout of LAYOUTS) {
    test(`bypass corpus on ${label} with ${layout.name}: path spellings`, async (t) => {
      const guarded = await startProbeApp(express, {}, layout.settings);
      const twin = await startProbeApp(express, false, layout.settings);
      try {
        const probes = SEEDS.flatMap((seed) => pathSpellings(seed.path).map((s): Probe => ({
          family: s.family, seed: seed.path, method: 'GET', target: s.path, headers: [HOST], body: '', version: 'HTTP/1.1',
        })));
        const [g0, u0, g1, u1] = [await fire(guarded, probes), await fire(twin, probes), await fire(guarded, probes, () => [VALID]), await fire(twin, probes, () => [VALID])];
        const problems: string[] = [];
        let refused = 0;
        probes.forEach((p, i) => {
          const g = g0[i]!;
          if (g.hits.some((h) => !PUBLIC_HANDLERS.has(h))) problems.push(`protected handler ran: ${p.target}`);
          if (g.reply.status === 401) refused++;
          else if (sig(g) !== sig(u0[i]!)) problems.push(`not refused and differs from the twin: ${p.target}`);
          if (sig(g1[i]!) !== sig(u1[i]!)) problems.push(`with the token, differs from the twin: ${p.target}`);
        });
        t.diagnostic(`${probes.length * 2} requests, ${refused} refused without the token`);
        assert.deepEqual(problems.slice(0, 20), []);
      } finally {
        guarded.close();
        twin.close();
      }
    });
  }
}
