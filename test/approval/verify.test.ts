// The approval verifier: every reason, in order; tampering; non-canonical JSON; strict base64url; the replay store.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { canonicalize } from '../../src/approval/canonical-json.js';
import { MemoryReplayStore } from '../../src/approval/replay-store.js';
import { signApproval } from '../../src/approval/sign.js';
import { specHash } from '../../src/approval/spec-hash.js';
import { parseTrustedKeys } from '../../src/approval/trusted-keys.js';
import { verifyApproval, type ApprovalCheck, type ApprovalReason } from '../../src/approval/verify.js';
import type { ApprovalPayload } from '../../src/approval/payload.js';
import { approver, NOW_S, payload, signBytes, SPEC } from './fixtures.js';

const A = approver('approver-a');
const B = approver('approver-b');
const STRANGER = approver('approver-a'); // same kid as A, another key
const keys = parseTrustedKeys({ keys: [A.jwk, B.jwk] }, 'test keys');
const check: ApprovalCheck = {
  keys,
  specHash: specHash(SPEC),
  environment: { name: 'prod-eu', posture: 'prod' },
  capability: 'models:train',
  nowMs: NOW_S * 1000,
  maxLifetimeS: 86_400,
};
const canonical = (p: Record<string, unknown>): string => canonicalize(p);
const signed = (p: Record<string, unknown>, by = A): string => signBytes(canonical(p), by.privateKey);
const reasonOf = (credential: string, over: Partial<ApprovalCheck> = {}): ApprovalReason | 'ok' => {
  const v = verifyApproval(credential, { ...check, ...over });
  return v.ok ? 'ok' : v.reason;
};

describe('a valid credential', () => {
  test('is accepted, with its payload', () => {
    const v = verifyApproval(signApproval(payload('approver-a') as unknown as ApprovalPayload, A.privateKey), check);
    assert.equal(v.ok, true);
    assert.equal(v.ok && v.payload.approval_id, 'apr-0001');
  });
  test('signed by either of two trusted kids', () => {
    assert.equal(reasonOf(signed(payload('approver-b'), B)), 'ok');
    assert.equal(reasonOf(signed(payload('approver-a'), A)), 'ok');
  });
  test('with org_id and project_id, and several capabilities', () => {
    assert.equal(reasonOf(signed(payload('approver-a', { org_id: 'org-1', project_id: 'iris', capabilities: ['models:replace', 'models:train'] }))), 'ok');
  });
});

describe('each reason, in the verifier order', () => {
  const p = (over: Partial<Record<keyof ApprovalPayload, unknown>>): Record<string, unknown> => payload('approver-a', over);
  const cases: Array<[string, () => string, ApprovalReason, Partial<ApprovalCheck>?]> = [
    ['1 malformed: no dot', () => signed(p({})).replace('.', ''), 'malformed'],
    ['2 unknown_kid', () => signed(payload('approver-z')), 'unknown_kid'],
    ['3 bad_signature: the kid of A, the key of a stranger', () => signed(p({}), STRANGER), 'bad_signature'],
    ['4 unsupported_version: v 2, correctly signed', () => signed(p({ v: 2 })), 'unsupported_version'],
    ['4 unsupported_version: v 2 with fields v1 does not know', () => signed({ v: 2, kid: 'approver-a', scope: 'anything' }), 'unsupported_version'],
    ['5 spec_mismatch', () => signed(p({ spec_hash: specHash({ n_estimators: 11, seed: 7 }) })), 'spec_mismatch'],
    ['6 environment_mismatch: the name', () => signed(p({ environment: 'prod-us' })), 'environment_mismatch'],
    ['6 environment_mismatch: the posture', () => signed(p({ environment_posture: 'staging' })), 'environment_mismatch'],
    ['7 expired: past expires_at + 60 s', () => signed(p({ issued_at: NOW_S - 1000, expires_at: NOW_S - 60 })), 'expired'],
    ['7 expired: issued more than 60 s ahead (not yet valid)', () => signed(p({ issued_at: NOW_S + 61, expires_at: NOW_S + 900 })), 'expired'],
    ['7 expired: a lifetime over maxLifetime', () => signed(p({ issued_at: NOW_S, expires_at: NOW_S + 86_401 })), 'expired'],
    ['7 expired: a lifetime over a lowered maxLifetime', () => signed(p({})), 'expired', { maxLifetimeS: 600 }],
    ['7 expired: expires_at before issued_at', () => signed(p({ issued_at: NOW_S, expires_at: NOW_S - 1 })), 'expired'],
    ['8 missing_capability', () => signed(p({ capabilities: ['models:predict'] })), 'missing_capability'],
    ['8 missing_capability: no wildcards', () => signed(p({ capabilities: ['models:*', '*'] })), 'missing_capability'],
  ];
  for (const [name, make, reason, over] of cases) test(name, () => assert.equal(reasonOf(make(), over), reason));

  test('60 s of clock skew either way is accepted', () => {
    assert.equal(reasonOf(signed(p({ issued_at: NOW_S - 1000, expires_at: NOW_S - 59 }))), 'ok');
    assert.equal(reasonOf(signed(p({ issued_at: NOW_S + 60, expires_at: NOW_S + 900 }))), 'ok');
    assert.equal(reasonOf(signed(p({ issued_at: NOW_S, expires_at: NOW_S + 86_400 }))), 'ok');
  });

  test('9 replayed: the replay store accepts an approval_id once until it expires, then forgets it', () => {
    let now = NOW_S * 1000;
    const store = new MemoryReplayStore(() => now);
    assert.equal(store.claim('apr-1', now + 1000), true);
    assert.equal(store.claim('apr-1', now + 1000), false);
    assert.equal(store.claim('apr-2', now + 1000), true);
    now += 61_000; // past the expiry and the sweep interval
    assert.equal(store.claim('apr-3', now + 1000), true);
    assert.equal(store.size, 1, 'the expired ids were swept out');
    assert.equal(store.claim('apr-1', now + 1000), true, 'an id is forgotten after its credential expired');
  });
});

describe('a credential failing two checks reports the earlier one', () => {
  const cases: Array<[string, Record<string, unknown>, typeof A, ApprovalReason]> = [
    ['unknown kid and expired', payload('approver-z', { expires_at: NOW_S - 3600, issued_at: NOW_S - 7200 }), A, 'unknown_kid'],
    ['bad signature and v 2', payload('approver-a', { v: 2 }), STRANGER, 'bad_signature'],
    ['v 2 and another spec', payload('approver-a', { v: 2, spec_hash: specHash('other') }), A, 'unsupported_version'],
    ['another spec and another environment', payload('approver-a', { spec_hash: specHash('other'), environment: 'dev' }), A, 'spec_mismatch'],
    ['another environment and expired', payload('approver-a', { environment: 'dev', issued_at: NOW_S - 7200, expires_at: NOW_S - 3600 }), A, 'environment_mismatch'],
    ['expired and no capability', payload('approver-a', { capabilities: ['x'], issued_at: NOW_S - 7200, expires_at: NOW_S - 3600 }), A, 'expired'],
  ];
  for (const [name, p, by, reason] of cases) test(name, () => assert.equal(reasonOf(signed(p, by)), reason));
  test('malformed before unknown kid: a padded credential of an unknown kid', () => assert.equal(reasonOf(`${signed(payload('approver-z'))}=`), 'malformed'));
});

describe('tampering', () => {
  const good = signed(payload('approver-a'));
  const [body, sig] = good.split('.') as [string, string];
  const bytes = Buffer.from(body, 'base64url');
  const sigBytes = Buffer.from(sig, 'base64url');

  test('flipping any one bit of any byte of the payload is refused', () => {
    const seen = new Set<string>();
    for (let i = 0; i < bytes.length; i++) {
      for (const bit of [0x01, 0x20]) {
        const t = Buffer.from(bytes);
        t[i]! ^= bit;
        const r = reasonOf(`${t.toString('base64url')}.${sig}`);
        assert.notEqual(r, 'ok', `byte ${i}`);
        seen.add(r);
      }
    }
    // Changes inside a string value keep the JSON canonical: only the signature catches them.
    assert.ok(seen.has('bad_signature') && seen.has('malformed'), [...seen].join());
  });
  test('one letter of issued_by changed, the JSON still canonical: bad_signature', () => {
    const t = Buffer.from(bytes.toString('utf8').replace('alice@', 'alicf@'), 'utf8');
    assert.equal(reasonOf(`${t.toString('base64url')}.${sig}`), 'bad_signature');
  });
  test('flipping any one byte of the signature is refused as bad_signature', () => {
    for (let i = 0; i < 64; i++) {
      const t = Buffer.from(sigBytes);
      t[i]! ^= 0x01;
      assert.equal(reasonOf(`${body}.${t.toString('base64url')}`), 'bad_signature', `byte ${i}`);
    }
  });
  test('the payload and signature of two credentials swapped', () => {
    const other = signed(payload('approver-a', { approval_id: 'apr-0002' }));
    assert.equal(reasonOf(`${body}.${other.split('.')[1]!}`), 'bad_signature');
  });
});

// A credential re-encoded in standard base64 that really holds a + or / (a random key's signature
// may have neither, and then the case would be the valid credential itself).
function standardBase64(): string {
  for (let i = 0; ; i++) {
    const credential = signed(payload('approver-a', { approval_id: `apr-std-${i}` }));
    const std = credential.split('.').map((part) => Buffer.from(part, 'base64url').toString('base64').replace(/=+$/, '')).join('.');
    if (/[+/]/.test(std)) return std;
  }
}

describe('malformed', () => {
  const p = payload('approver-a');
  const text = canonical(p);
  const good = signed(p);
  const [body, sig] = good.split('.') as [string, string];
  const cases: Array<[string, string]> = [
    ['empty', ''],
    ['two dots', `${body}.${sig}.x`],
    ['a dot only', '.'],
    ['padding on the payload (=)', `${body}=.${sig}`],
    ['padding on the payload (==)', `${body}==.${sig}`],
    ['the payload in padded base64url', `${Buffer.from(text).toString('base64').replace(/\+/g, '-').replace(/\//g, '_')}${text.length % 3 === 0 ? '=' : ''}.${sig}`],
    ['padding on the signature', `${body}.${sig}==`],
    ['a stray character in the payload', `${body.slice(0, 10)}$${body.slice(10)}.${sig}`],
    ['a stray character in the signature', `${body}.${sig.slice(0, 10)}*${sig.slice(10)}`],
    ['standard base64 (+ and /) instead of base64url', standardBase64()],
    ['a space', `${body} .${sig}`],
    ['a 63-byte signature', `${body}.${Buffer.from(sig, 'base64url').subarray(0, 63).toString('base64url')}`],
    ['a 65-byte signature', `${body}.${Buffer.concat([Buffer.from(sig, 'base64url'), Buffer.alloc(1)]).toString('base64url')}`],
    ['reordered keys (signed as sent)', signBytes(JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(text) as object).reverse())), A.privateKey)],
    ['keys in insertion order (signed as sent)', signBytes(JSON.stringify(p), A.privateKey)],
    ['added whitespace (signed as sent)', signBytes(JSON.stringify(JSON.parse(text), null, 1), A.privateKey)],
    ['a space after a colon (signed as sent)', signBytes(text.replace('"v":1', '"v": 1'), A.privateKey)],
    ['a trailing newline (signed as sent)', signBytes(`${text}\n`, A.privateKey)],
    ['a byte order mark (signed as sent)', signBytes(`\ufeff${text}`, A.privateKey)],
    ['a number written 1.0 (signed as sent)', signBytes(text.replace('"v":1', '"v":1.0'), A.privateKey)],
    ['an escaped letter (signed as sent)', signBytes(text.replace('alice', '\\u0061lice'), A.privateKey)],
    ['a duplicated member (signed as sent)', signBytes(text.replace('{', '{"approval_id":"x",'), A.privateKey)],
    ['invalid UTF-8 (signed as sent)', signBytes(Buffer.concat([Buffer.from(text.slice(0, -2)), Buffer.from([0xff]), Buffer.from('"}')]), A.privateKey)],
    ['not JSON', signBytes('hello', A.privateKey)],
    ['a JSON array', signBytes('[1]', A.privateKey)],
    ['an unknown field', signed({ ...p, extra: 1 })],
    ['a missing field', signed(Object.fromEntries(Object.entries(p).filter(([k]) => k !== 'issued_by')))],
    ['v as a string', signed({ ...p, v: '1' })],
    ['no kid', signed(Object.fromEntries(Object.entries(p).filter(([k]) => k !== 'kid')))],
    ['spec_hash in upper-case hex', signed({ ...p, spec_hash: (p.spec_hash as string).toUpperCase().replace('SHA256', 'sha256') })],
    ['spec_hash without sha256:', signed({ ...p, spec_hash: (p.spec_hash as string).slice(7) })],
    ['empty capabilities', signed({ ...p, capabilities: [] })],
    ['a capability that is not a string', signed({ ...p, capabilities: ['models:train', 1] })],
    ['issued_at as a float', signed({ ...p, issued_at: NOW_S + 0.5 })],
    ['expires_at as an ISO string', signed({ ...p, expires_at: '2027-01-01T00:00:00Z' })],
    ['issued_at in milliseconds beyond safe integers', signed({ ...p, issued_at: 2 ** 60 })],
    ['an unknown posture', signed({ ...p, environment_posture: 'production' })],
    ['org_id not a string', signed({ ...p, org_id: 7 })],
    ['an empty issued_by', signed({ ...p, issued_by: '' })],
    ['over 8192 characters', signed({ ...p, capabilities: Array.from({ length: 60 }, (_, i) => `cap:${i}:${'x'.repeat(100)}`) })],
  ];
  for (const [name, credential] of cases) test(name, () => assert.equal(reasonOf(credential), 'malformed'));
  test('the control: the same payload canonical and signed is fine', () => assert.equal(reasonOf(good), 'ok'));
});
