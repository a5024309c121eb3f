/**
 * Leak audit of approvals: approval credentials, approvers' private keys and the bearer token
 * never show in responses, audit events, log lines or CLI output. The one exception is the
 * stdout of `approval sign`, which prints the credential it made. Needles are every 12-character
 * run of each secret in every form of leak/needles.ts.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { canonicalize } from '../../src/approval/canonical-json.js';
import { approver, jwks, payload, signBytes, SPEC } from '../approval/fixtures.js';
import { startApprovalServer, type ApprovalServer } from '../approval/server.js';
import { runCli, TempDirs, type CliResult } from '../cli/helpers.js';
import { TempDir } from '../helpers/config-fixtures.js';
import { createDetector, forms, TOKEN, type Form } from './leak/needles.js';

const tmp = new TempDir();
const dirs = new TempDirs();
after(() => {
  tmp.cleanup();
  dirs.cleanup();
});

const A = approver('approver-a');
const jwksFile = tmp.file(jwks(A));
const nowS = (): number => Math.floor(Date.now() / 1000);
let serial = 0;
const credentials: string[] = [];
const privateKeys: string[] = [];
const make = (over: Record<string, unknown> = {}, bytes?: string): string => {
  const c = signBytes(bytes ?? canonicalize(payload(A.kid, { approval_id: `leak-${++serial}`, ...over }, nowS())), A.privateKey);
  credentials.push(c);
  return c;
};
/** Every form of every credential, private key and the bearer token. */
function detector(): ReturnType<typeof createDetector> {
  const all: Form[] = forms('TOKEN', TOKEN);
  for (const c of credentials) all.push(...forms('WRONG', c).map((f) => ({ ...f, form: `credential, ${f.form}` })));
  for (const k of privateKeys) all.push(...forms('PLAIN', k).map((f) => ({ ...f, form: `private key, ${f.form}` })));
  return createDetector(all);
}
/** The credential with one character in the middle of its signature changed: a bad signature, always. */
const flipSignature = (c: string): string => {
  const i = c.length - 20;
  return `${c.slice(0, i)}${c[i] === 'A' ? 'B' : 'A'}${c.slice(i + 1)}`;
};
const pemBody = (pem: string): string => pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');

describe('approval requests', () => {
  let s: ApprovalServer;
  const seen: string[] = [];
  before(async () => {
    privateKeys.push(pemBody(A.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string), (A.privateKey.export({ format: 'jwk' }) as { d: string }).d);
    s = await startApprovalServer({ guard: { token: TOKEN, approvalKeys: jwksFile, argv: [], env: {} } });
  });
  after(() => s.close());

  test('every decision: no response, audit event or log line holds a credential, a private key or the token', async () => {
    const valid = make();
    const sends: Array<[string, unknown, { token?: string; approval?: string }]> = [
      ['/train', SPEC, { token: TOKEN, approval: valid }],
      ['/train', SPEC, { token: TOKEN, approval: valid }], // replayed
      ['/train', SPEC, { token: TOKEN }],
      ['/train', SPEC, { token: TOKEN, approval: `${make()}=` }],
      ['/train', SPEC, { token: TOKEN, approval: make({ kid: 'approver-z' }) }],
      ['/train', SPEC, { token: TOKEN, approval: signBytes(canonicalize(payload(A.kid, {}, nowS())), approver('approver-a').privateKey) }],
      ['/train', SPEC, { token: TOKEN, approval: make({ v: 2 }) }],
      ['/train', { other: 1 }, { token: TOKEN, approval: make() }],
      ['/train', SPEC, { token: TOKEN, approval: make({ environment: 'dev' }) }],
      ['/train', SPEC, { token: TOKEN, approval: make({ issued_at: nowS() - 7200, expires_at: nowS() - 3600 }) }],
      ['/train', SPEC, { token: TOKEN, approval: make({ capabilities: ['x'] }) }],
      // A token pasted into a field of a credential whose signature does not hold is never repeated.
      ['/train', SPEC, { token: TOKEN, approval: flipSignature(make({ issued_by: `leak-${TOKEN}` })) }],
      ['/train', SPEC, { token: TOKEN, approval: make({}, JSON.stringify(payload(A.kid, { approval_id: TOKEN }, nowS()), null, 1)) }],
      ['/train', SPEC, { approval: make() }],
      ['/train', SPEC, { token: make(), approval: make() }],
      ['/boom', SPEC, { token: TOKEN, approval: make() }],
      ['/unguarded', SPEC, { token: TOKEN, approval: make() }],
    ];
    for (const [route, body, headers] of sends) {
      const res = await fetch(`${s.url}${route}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(headers.token ? { authorization: `Bearer ${headers.token}` } : {}), ...(headers.approval ? { 'approval-credential': headers.approval } : {}) },
        body: JSON.stringify(body),
      });
      seen.push(`${res.status} ${res.statusText} ${JSON.stringify([...res.headers])} ${await res.text()}`);
    }
    const statuses = seen.map((line) => Number(line.slice(0, 3)));
    assert.deepEqual([...new Set(statuses)].sort(), [201, 401, 403, 500], 'allow, refusals and errors were all reached');
    assert.ok(s.events.filter((e) => e.type === 'approval').length >= 14, 'approval events were recorded');
    const texts = [...seen, ...s.events.map((e) => JSON.stringify(e)), ...s.logger.lines];
    const found = texts.flatMap((t) => detector().scan(t));
    assert.deepEqual(found.map((f) => `${f.form}: ${f.context}`), []);
  });

  test('self-check: a planted piece of a credential or private key is found', () => {
    const d = detector();
    assert.ok(d.scan(`event {"x":"${credentials[0]!.slice(40, 53)}"}`).length > 0);
    assert.ok(d.scan(`log ${privateKeys[0]!.slice(20, 33)}`).length > 0);
    assert.equal(d.scan(JSON.stringify(s.events.find((e) => e.reason === 'ok'))).length, 0);
  });
});

describe('approval CLI output', () => {
  test('keygen, sign and verify, in success and failure: only sign\'s stdout holds the credential, nothing holds a private key', async () => {
    const dir = dirs.make();
    const pem = path.join(dir, 'k.pem');
    const jw = path.join(dir, 'k.jwks');
    const spec = path.join(dir, 'spec.json');
    writeFileSync(spec, JSON.stringify(SPEC));
    const results: CliResult[] = [];
    const cli = (args: string[], input?: string): Promise<CliResult> => runCli(args, { record: results, ...(input === undefined ? {} : { input }) });
    await cli(['approval', 'keygen', '--kid', 'k1', '--private-key', pem, '--jwks', jw]);
    await cli(['approval', 'keygen', '--kid', 'k1', '--private-key', pem, '--jwks', jw, '--json']);
    privateKeys.push(pemBody(readFileSync(pem, 'utf8')));
    const sign = ['approval', 'sign', '--private-key', pem, '--kid', 'k1', '--environment', 'prod-eu', '--posture', 'prod', '--spec', spec, '--capability', 'models:train', '--issued-by', 'alice'];
    const signed = await cli(sign);
    const signedJson = await cli([...sign, '--json']);
    credentials.push(signed.stdout.trim(), (JSON.parse(signedJson.stdout) as { credential: string }).credential);
    await cli([...sign, '--approval-id', 'apr-2027-0042']);
    credentials.push(results.at(-1)!.stdout.trim());
    const verify = ['approval', 'verify', '--jwks', jw, '--environment', 'prod-eu', '--posture', 'prod', '--spec', spec, '--capability', 'models:train'];
    for (const c of credentials.slice(-3)) {
      await cli(verify, c);
      await cli([...verify, '--json'], c);
      await cli([...verify, '--posture', 'staging'], c);
      await cli([...verify, '--json', '--capability', 'models:predict'], `${c.slice(0, -3)}AAA`);
      await cli([...verify, c]);
      await cli([...verify, `--credential=${c}`]);
    }
    await cli(['approval', 'sign', ...sign.slice(2).map((a) => (a === pem ? jw : a))]); // a JWKS where the private key goes
    await cli(['approval', 'keygen', '--kid', `${credentials[0]!.slice(0, 20)}$`, '--private-key', path.join(dir, 'x.pem')]); // a usage error
    const d = detector();
    const exempt = (r: CliResult): boolean => r.args[1] === 'sign' && r.code === 0;
    const findings = results.flatMap((r) => [...(exempt(r) ? [] : d.scan(r.stdout)), ...d.scan(r.stderr)].map((f) => `${r.args.slice(0, 2).join(' ')}: ${f.form}: ${f.context}`));
    assert.deepEqual(findings, []);
    assert.ok(d.scan(signed.stdout).length > 0, 'self-check: the credential sign printed is found');
  });
});
