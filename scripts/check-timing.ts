// npm run check:timing: dudect-style Welch t-tests on the per-request token check, between classes of candidates.
//
// Imports src/ directly (no build): the per-request check, createAuthenticator().authenticate(), is internal
// and not exported from dist/, and the working tree is what gets measured, so an edit to the
// comparison is measured without a rebuild. tsx only strips the types: the timed JavaScript is the same.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { bearerGuard } from '../src/middleware/bearer-guard.js';
import { resolveCheckOptions } from '../src/config/resolve.js';
import { createAuthenticator } from '../src/request/authenticate.js';
import { makeGroups, makeSecrets } from './timing/classes.js';
import { comparePairs, formatClasses, formatPairs, verdict, type PairResult } from './timing/report.js';
import { sample, type SamplerOptions } from './timing/sampler.js';

const USAGE = `usage: npm run check:timing -- [--samples N] [--quick] [--guard] [--token-length N] [--crop P]
  --samples N       timed samples per class (default 2000000; 20000 with --quick)
  --quick           a smoke run of a second or two: its figures mean little
  --guard           time the whole middleware (fake req/res) instead of the check alone; drops the valid-token classes
  --token-length N  length of the random secrets (default 43, as 32 random bytes in base64url)
  --crop P          crop percentile of the calibration rounds (default 0.99)`;
const CHECKERS = 8;

function options(): { sampler: SamplerOptions; guard: boolean; tokenLength: number } {
  const { values } = parseArgs({
    options: {
      samples: { type: 'string' },
      quick: { type: 'boolean', default: false },
      guard: { type: 'boolean', default: false },
      'token-length': { type: 'string', default: '43' },
      crop: { type: 'string', default: '0.99' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const samples = Number(values.samples ?? (values.quick ? 20_000 : 2_000_000));
  const tokenLength = Number(values['token-length']);
  const crop = Number(values.crop);
  if (!Number.isSafeInteger(samples) || samples < 2 || !Number.isSafeInteger(tokenLength) || tokenLength < 3 || tokenLength > 2048 || !(crop > 0 && crop <= 1)) {
    console.error(USAGE);
    process.exit(2);
  }
  const warmup = values.quick ? 5_000 : 50_000;
  const calibration = values.quick ? 2_000 : 10_000;
  return { sampler: { samples, warmup, calibration, crop }, guard: values.guard, tokenLength };
}

/** A minimal request as the guard reads it, with a flat (not concatenated) header string. */
function request(token: string): IncomingMessage {
  const header = Buffer.from(`Bearer ${token}`, 'latin1').toString('latin1');
  const settings: Record<string, unknown> = {};
  return {
    headers: { host: 'localhost', authorization: header },
    rawHeaders: ['Host', 'localhost', 'Authorization', header],
    path: '/v2/models/iris',
    app: { get: (k: string) => settings[k] },
  } as unknown as IncomingMessage;
}

type Target = (req: IncomingMessage) => unknown;

/** What an attacker can time, for one secret: the check alone, or the whole middleware. */
function targetFor(secret: string, guard: boolean): Target {
  const logger = { warn: () => undefined };
  if (guard) {
    const mw = bearerGuard({ token: secret, logger });
    const res = { headersSent: false, statusCode: 200, setHeader: () => undefined, end: () => undefined, destroy: () => undefined } as unknown as ServerResponse;
    const next = (): void => undefined;
    return (req) => mw(req, res, next);
  }
  const check = createAuthenticator(resolveCheckOptions({ token: secret, logger }, 'check:timing'));
  return (req) => check.authenticate(req);
}

const o = options();
const secrets = makeSecrets(o.tokenLength, CHECKERS, Math.random);
const groups = makeGroups(secrets, Math.random);
// Every class draws from the same targets and request objects; a class is only a list of
// (target, request) index pairs, so no class has memory of its own that the others do not touch.
const targets = [...secrets.same, ...secrets.near].map((s) => targetFor(s, o.guard));
const targetIndex = new Map([...secrets.same, ...secrets.near].map((s, i) => [s, i]));
const candidates = [...new Set(groups.flatMap((g) => g.classes.flatMap((c) => c.inputs.map((i) => i.candidate))))];
const requests = candidates.map(request);
const requestIndex = new Map(candidates.map((c, i) => [c, i]));
const R = requests.length;
const run = (x: number): unknown => targets[Math.floor(x / R)]!(requests[x % R]!);
const load = (): string => loadavg().map((x) => x.toFixed(2)).join(' ');

console.log(
  `check:timing: dudect-style Welch t-tests on ${o.guard ? 'bearerGuard() middleware with fake req/res' : 'createAuthenticator().authenticate(req): header parsing, SHA-256, map lookup'} (src/)`,
);
console.log(`node ${process.version}, ${process.platform} ${process.arch}, ${availableParallelism()} CPUs, load average ${load()}`);
console.log(
  `${CHECKERS} checkers with random ${o.tokenLength}-char secrets (and ${CHECKERS} a char off, for the length group), new each run; ` +
    `${o.sampler.samples} samples per class after ${o.sampler.warmup} warm-up rounds, classes in random order each round, each group on its own`,
);

const results: PairResult[] = [];
let seconds = 0;
for (const group of groups) {
  const classes = group.classes.filter((c) => !(o.guard && c.reference));
  const pools = classes.map((c) => c.inputs.map((i) => targetIndex.get(i.secret)! * R + requestIndex.get(i.candidate)!));
  const timings = sample(pools, run, o.sampler);
  seconds += timings.seconds;
  console.log(`\ngroup "${group.id}": crop at <= ${timings.threshold} ns (p${+(o.sampler.crop * 100).toFixed(2)} of ${o.sampler.calibration} calibration rounds)`);
  console.log(formatClasses(classes, timings.perClass));
  results.push(...comparePairs(group, classes, timings.perClass));
}
console.log(`\nsampled in ${seconds.toFixed(1)} s; load average now ${load()}\n`);
console.log(formatPairs(results));
console.log('');
console.log(verdict(results, o.sampler.samples));
