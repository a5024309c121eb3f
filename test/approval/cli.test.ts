// The approval CLI as child processes (the built bin): keygen, sign and verify, their files, outputs and exit codes.
import assert from 'node:assert/strict';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { readTrustedKeysFile } from '../../src/approval/live-keys.js';
import { verifyApproval } from '../../src/approval/verify.js';
import { hasStackTrace, runCli, TempDirs, type CliResult } from '../cli/helpers.js';

const dirs = new TempDirs();
after(() => dirs.cleanup());
const results: CliResult[] = [];
const cli = (args: string[], input?: string): Promise<CliResult> => runCli(args, { record: results, ...(input === undefined ? {} : { input }) });

const CREDENTIAL = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{86}$/;
const SPEC = { n_estimators: 10, seed: 7 };

/** A directory with an approver key `alice-1` in `jwks` and a spec file. */
async function setup(): Promise<{ dir: string; pem: string; jwks: string; spec: string }> {
  const dir = dirs.make();
  const pem = path.join(dir, 'alice-1.pem');
  const jwks = path.join(dir, 'approvers.jwks');
  const r = await cli(['approval', 'keygen', '--kid', 'alice-1', '--private-key', pem, '--jwks', jwks]);
  assert.equal(r.code, 0, r.stderr);
  const spec = path.join(dir, 'train.json');
  writeFileSync(spec, '{ "seed": 7,\n  "n_estimators": 10 }\n');
  return { dir, pem, jwks, spec };
}
const signArgs = (s: { pem: string; spec: string }, ...extra: string[]): string[] => [
  'approval', 'sign', '--private-key', s.pem, '--kid', 'alice-1', '--environment', 'prod-eu', '--posture', 'prod', '--spec', s.spec, '--capability', 'models:train', '--issued-by', 'alice@example.com', ...extra,
];
const verifyArgs = (s: { jwks: string; spec: string }, ...extra: string[]): string[] => [
  'approval', 'verify', '--jwks', s.jwks, '--environment', 'prod-eu', '--posture', 'prod', '--spec', s.spec, '--capability', 'models:train', ...extra,
];

describe('approval keygen', () => {
  test('writes a PKCS#8 PEM Ed25519 private key with mode 0600 and adds the public JWK to the JWKS file; prints the JWK', async () => {
    const s = await setup();
    assert.equal(statSync(s.pem).mode & 0o777, 0o600);
    const key = createPrivateKey(readFileSync(s.pem));
    assert.equal(key.asymmetricKeyType, 'ed25519');
    assert.match(readFileSync(s.pem, 'utf8'), /^-----BEGIN PRIVATE KEY-----\n/);
    const { keys } = readTrustedKeysFile(s.jwks);
    assert.deepEqual([...keys.keys()], ['alice-1']);
    const printed = results.find((r) => r.args.includes(s.pem))!;
    const jwk = JSON.parse(printed.stdout) as { kid: string; x: string; d?: string };
    assert.equal(jwk.kid, 'alice-1');
    assert.equal(jwk.d, undefined);
    assert.match(printed.stderr, /mode 0600/);
  });

  test('a second kid is added beside the first; --json prints kid, paths and jwk', async () => {
    const s = await setup();
    const pem2 = path.join(s.dir, 'bob.pem');
    const r = await cli(['approval', 'keygen', '--kid', 'bob-1', '--private-key', pem2, '--jwks', s.jwks, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { kid: string; private_key: string; jwks: string; jwk: object };
    assert.deepEqual([out.kid, out.private_key, out.jwks], ['bob-1', pem2, s.jwks]);
    assert.deepEqual([...readTrustedKeysFile(s.jwks).keys.keys()], ['alice-1', 'bob-1']);
  });

  test('never overwrites a private key; a repeated kid leaves no private key behind', async () => {
    const s = await setup();
    const before = readFileSync(s.pem, 'utf8');
    const again = await cli(['approval', 'keygen', '--kid', 'alice-2', '--private-key', s.pem, '--jwks', s.jwks]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already exists; a private key is never overwritten/);
    assert.equal(readFileSync(s.pem, 'utf8'), before);
    const pem2 = path.join(s.dir, 'other.pem');
    const dup = await cli(['approval', 'keygen', '--kid', 'alice-1', '--private-key', pem2, '--jwks', s.jwks]);
    assert.equal(dup.code, 1);
    assert.match(dup.stderr, /already has a key with kid "alice-1"/);
    assert.equal(existsSync(pem2), false);
    assert.equal(dup.stdout, '');
  });

  test('an invalid JWKS file is refused before anything is written', async () => {
    const dir = dirs.make();
    const jwks = path.join(dir, 'bad.jwks');
    writeFileSync(jwks, JSON.stringify({ keys: [{ ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' }), kid: 'p256' }] }));
    const r = await cli(['approval', 'keygen', '--kid', 'a', '--private-key', path.join(dir, 'a.pem'), '--jwks', jwks]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /kid "p256"\) has kty "EC"/);
    assert.equal(existsSync(path.join(dir, 'a.pem')), false);
  });

  test('usage errors exit 2: a bad kid, no --private-key', async () => {
    assert.equal((await cli(['approval', 'keygen', '--kid', 'a b', '--private-key', path.join(dirs.make(), 'k.pem')])).code, 2);
    assert.equal((await cli(['approval', 'keygen', '--kid', 'a'])).code, 2);
  });
});

describe('approval sign and verify', () => {
  test('sign prints only the credential; verify accepts it (exit 0) and shows the payload; the server verifier agrees', async () => {
    const s = await setup();
    const signed = await cli(signArgs(s, '--approval-id', 'apr-42', '--org-id', 'org-1'));
    assert.equal(signed.code, 0, signed.stderr);
    const credential = signed.stdout.replace(/\n$/, '');
    assert.match(credential, CREDENTIAL);
    assert.equal(signed.stdout, `${credential}\n`, 'stdout is the credential alone');
    assert.match(signed.stderr, /signed approval apr-42 for models:train in prod-eu \(prod\)/);
    const verified = await cli(verifyArgs(s), signed.stdout);
    assert.equal(verified.code, 0, verified.stderr);
    assert.match(verified.stdout, /payload \(signature verified\):/);
    assert.match(verified.stdout, /"approval_id": "apr-42"/);
    assert.match(verified.stdout, /verdict: accepted/);
    const v = verifyApproval(credential, {
      keys: readTrustedKeysFile(s.jwks).keys,
      specHash: (await import('../../src/approval/spec-hash.js')).specHash(SPEC),
      environment: { name: 'prod-eu', posture: 'prod' },
      capability: 'models:train',
      nowMs: Date.now(),
      maxLifetimeS: 86_400,
    });
    assert.equal(v.ok, true, 'the JSON spec file is hashed canonically, as the server hashes the parsed body');
    assert.equal(v.ok && v.payload.expires_at - v.payload.issued_at, 900, 'the default lifetime is 15m');
    assert.equal(v.ok && v.payload.org_id, 'org-1');
  });

  test('a random approval id by default; the spec from stdin; --json', async () => {
    const s = await setup();
    const r = await cli([...signArgs({ ...s, spec: '-' }), '--json', '--expires', '1h'], JSON.stringify(SPEC));
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { credential: string; approval_id: string; issued_at: number; expires_at: number };
    assert.match(out.approval_id, /^[0-9a-f-]{36}$/);
    assert.equal(out.expires_at - out.issued_at, 3600);
    const v = await cli(verifyArgs(s, '--json'), out.credential);
    assert.deepEqual((JSON.parse(v.stdout) as { verdict: string }).verdict, 'accepted');
  });

  const refusals: Array<[string, string[], string]> = [
    ['another environment', ['--environment', 'prod-us'], 'environment_mismatch'],
    ['another posture', ['--posture', 'staging'], 'environment_mismatch'],
    ['another capability', ['--capability', 'models:replace'], 'missing_capability'],
    ['a lower max lifetime', ['--max-lifetime', '10m'], 'expired'],
  ];
  for (const [name, override, reason] of refusals) {
    test(`verify refuses ${name}: exit 1, reason ${reason}`, async () => {
      const s = await setup();
      const signed = await cli(signArgs(s));
      const args = verifyArgs(s);
      for (let i = 0; i < override.length; i += 2) {
        const at = args.indexOf(override[i]!);
        if (at === -1) args.push(override[i]!, override[i + 1]!);
        else args[at + 1] = override[i + 1]!;
      }
      const r = await cli([...args, '--json'], signed.stdout);
      assert.equal(r.code, 1);
      const out = JSON.parse(r.stdout) as { verdict: string; reason: string; signature_verified: boolean };
      assert.deepEqual([out.verdict, out.reason, out.signature_verified], ['refused', reason, true]);
      assert.match(r.stderr, new RegExp(`approval refused: ${reason}`));
    });
  }

  test('verify: a tampered signature is bad_signature, and the payload is shown as not verified', async () => {
    const s = await setup();
    const credential = (await cli(signArgs(s))).stdout.trim();
    const tampered = `${credential.slice(0, -2)}${credential.endsWith('AA') ? 'BA' : 'AA'}`;
    const r = await cli(verifyArgs(s), tampered);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /signature NOT verified/);
    assert.match(r.stdout, /refused \((bad_signature|malformed)\)/);
  });

  test('verify: another spec is spec_mismatch; --raw-spec hashes the bytes', async () => {
    const s = await setup();
    const credential = (await cli(signArgs(s))).stdout;
    const other = path.join(s.dir, 'other.json');
    writeFileSync(other, '{"n_estimators": 11, "seed": 7}');
    assert.match((await cli(verifyArgs({ ...s, spec: other }), credential)).stdout, /refused \(spec_mismatch\)/);
    const raw = (await cli([...signArgs(s), '--raw-spec'])).stdout;
    assert.equal((await cli([...verifyArgs(s), '--raw-spec'], raw)).code, 0);
    assert.equal((await cli(verifyArgs(s), raw)).code, 1, 'bytes and canonical JSON differ for this file');
  });

  const usage: Array<[string, string[], RegExp]> = [
    ['a bad posture', ['--posture', 'production'], /--posture "production" is not a posture/],
    ['a wildcard capability', ['--capability', 'models:*'], /is not a capability/],
    ['--expires over 30d', ['--expires', '31d'], /--expires must be from 1s to 30d/],
    ['--expires not a duration', ['--expires', 'soon'], /--expires: invalid duration/],
  ];
  for (const [name, extra, message] of usage) {
    test(`sign: ${name} is a usage error (exit 2)`, async () => {
      const s = await setup();
      const args = signArgs(s);
      for (let i = 0; i < extra.length; i += 2) {
        const at = args.indexOf(extra[i]!);
        if (at === -1) args.push(extra[i]!, extra[i + 1]!);
        else args[at + 1] = extra[i + 1]!;
      }
      const r = await cli(args);
      assert.equal(r.code, 2);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '');
    });
  }

  test('sign: a spec that is not JSON, an RSA key, a missing key file: exit 1, nothing on stdout', async () => {
    const s = await setup();
    const notJson = path.join(s.dir, 'spec.txt');
    writeFileSync(notJson, 'train please');
    const r1 = await cli(signArgs({ ...s, spec: notJson }));
    assert.equal(r1.code, 1);
    assert.match(r1.stderr, /is not JSON; .*--raw-spec/);
    const rsaPem = path.join(s.dir, 'rsa.pem');
    writeFileSync(rsaPem, generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
    const r2 = await cli(signArgs({ ...s, pem: rsaPem }));
    assert.equal(r2.code, 1);
    assert.match(r2.stderr, /is not an Ed25519 key/);
    const r3 = await cli(signArgs({ ...s, pem: path.join(s.dir, 'nope.pem') }));
    assert.equal(r3.code, 1);
    assert.match(r3.stderr, /cannot be read: no such file/);
    for (const r of [r1, r2, r3]) assert.equal(r.stdout, '');
  });

  test('verify takes the credential from stdin only; --spec - is refused (stdin carries the credential)', async () => {
    const s = await setup();
    const credential = (await cli(signArgs(s))).stdout.trim();
    const asArg = await cli([...verifyArgs(s), credential]);
    assert.equal(asArg.code, 2);
    assert.ok(!asArg.stderr.includes(credential.slice(0, 20)));
    assert.equal((await cli([...verifyArgs(s), `--credential=${credential}`])).code, 2);
    assert.equal((await cli(verifyArgs({ ...s, spec: '-' }), credential)).code, 2);
    assert.equal((await cli(verifyArgs(s), '')).code, 1);
  });

  test('every command has --help; no output anywhere has a stack trace', async () => {
    for (const c of ['keygen', 'sign', 'verify']) {
      const r = await cli(['approval', c, '--help']);
      assert.equal(r.code, 0);
      assert.match(r.stdout, /Example:/);
    }
    for (const r of results) assert.ok(!hasStackTrace(r.stderr) && !hasStackTrace(r.stdout), r.args.join(' '));
  });
});
