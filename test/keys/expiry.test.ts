// Expiry and revocation at the boundary, with a fake clock: refused from the instant itself, not a millisecond before.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import express from 'express';
import request from 'supertest';
import { bearerGuard, MemoryKeyStore } from '../../src/index.js';
import { captureLogger } from '../helpers/apps.js';
import { makeKey } from '../helpers/keys.js';

const AT = '2027-01-31T00:00:00.000Z';
const MS = Date.parse(AT);

describe('expiry at the boundary', () => {
  beforeEach(() => mock.timers.enable({ apis: ['Date'], now: MS - 1 }));
  afterEach(() => mock.timers.reset());

  const cases: Array<{ field: 'expires_at' | 'revoked_at'; detail: string }> = [
    { field: 'expires_at', detail: 'Bearer token expired' },
    { field: 'revoked_at', detail: 'Bearer token revoked' },
  ];
  for (const c of cases) {
    test(`${c.field}: accepted 1 ms before, refused at the instant and after`, async () => {
      const k = makeKey('service', { [c.field]: AT });
      const app = express();
      app.use(bearerGuard({ keyStore: new MemoryKeyStore([k.entry]), logger: captureLogger(), argv: [], env: {} }));
      app.get('/v2/models/', (_req, res) => void res.json({ ok: true }));
      const call = () => request(app).get('/v2/models/').set('Authorization', `Bearer ${k.token}`);
      assert.equal((await call()).status, 200);
      mock.timers.tick(1);
      const res = await call();
      assert.equal(res.status, 401);
      assert.deepEqual(res.body, { detail: c.detail, error: 'invalid_token' });
      mock.timers.tick(86_400_000);
      assert.equal((await call()).status, 401);
    });
  }
});
