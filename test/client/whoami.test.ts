// whoami(): the caller's identity behind the guard (single token, named keys, passport), never a token; fails closed.
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { Passport } from 'passport';
import { bearerGuard, createBearerStrategy, MemoryKeyStore, whoami } from '../../src/index.js';
import { captureLogger, listen, MAJORS, TOKEN } from '../helpers/apps.js';
import { makeKey } from '../helpers/keys.js';

const keys = {
  plain: makeKey('service', { name: 'ci-deploy', scopes: ['models:read'], expires_at: '2099-01-01T00:00:00.000Z' }),
  agent: makeKey('agent', { name: 'robot', scopes: [], agent_id: 'agent_7', environment: 'staging' }),
};

for (const { label, express } of MAJORS) {
  describe(`whoami() on ${label}`, () => {
    const servers: Server[] = [];
    const bases: Record<string, string> = {};
    before(async () => {
      const logger = captureLogger();
      const apps = {
        token: express().use(bearerGuard({ token: TOKEN, logger })),
        // The agent key is bound to staging, so this server runs there (elsewhere it is refused).
        keys: express().use(bearerGuard({ keyStore: new MemoryKeyStore([keys.plain.entry, keys.agent.entry]), environment: 'staging', logger })),
        off: express().use(bearerGuard({ env: {}, argv: [], logger })),
        unguarded: express(),
        passport: express(),
      };
      const passport = new Passport();
      apps.passport.get('/v2/auth/whoami', passport.authenticate(createBearerStrategy({ token: TOKEN, logger }), { session: false }));
      for (const [name, app] of Object.entries(apps)) {
        app.get('/v2/auth/whoami', whoami());
        const server = await listen(app);
        servers.push(server);
        bases[name] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      }
    });
    after(() => {
      for (const s of servers) s.close();
    });

    const get = async (app: string, token?: string): Promise<{ status: number; body: unknown; text: string; cache: string | null }> => {
      const res = await fetch(`${bases[app]}/v2/auth/whoami`, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
      const text = await res.text();
      return { status: res.status, body: JSON.parse(text) as unknown, text, cache: res.headers.get('cache-control') };
    };

    const CASES: Array<{ name: string; app: string; token?: string; status: number; body: unknown }> = [
      { name: 'the single token', app: 'token', token: TOKEN, status: 200, body: { id: 'token', name: 'token', family: 'service', scopes: ['*'], expires_at: null } },
      { name: 'the single token, through passport', app: 'passport', token: TOKEN, status: 200, body: { id: 'token', name: 'token', family: 'service', scopes: ['*'], expires_at: null } },
      {
        name: 'a named key with scopes and expiry (no scope needed for whoami)',
        app: 'keys',
        token: keys.plain.token,
        status: 200,
        body: { id: keys.plain.entry.id, name: 'ci-deploy', family: 'service', scopes: ['models:read'], expires_at: '2099-01-01T00:00:00.000Z' },
      },
      {
        name: 'an agent key with its agent and environment',
        app: 'keys',
        token: keys.agent.token,
        status: 200,
        body: { id: keys.agent.entry.id, name: 'robot', family: 'agent', scopes: [], expires_at: null, agent_id: 'agent_7', environment: 'staging' },
      },
      { name: 'no token: the guard answers', app: 'token', status: 401, body: { detail: 'Bearer token required' } },
      { name: 'auth off: no identity', app: 'off', status: 404, body: { detail: 'Authentication is off on this server: there is no caller identity' } },
      { name: 'no guard before it: fail closed', app: 'unguarded', token: TOKEN, status: 500, body: { detail: 'Internal authentication error' } },
    ];
    for (const c of CASES) {
      test(c.name, async () => {
        const r = await get(c.app, c.token);
        assert.equal(r.status, c.status);
        assert.deepEqual(r.body, c.body);
        assert.equal(r.cache, 'no-store');
        for (const secret of [TOKEN, keys.plain.token, keys.agent.token, keys.plain.entry.digest, keys.plain.entry.digest.slice(7)]) {
          assert.ok(!r.text.includes(secret), 'no token or digest in the answer');
        }
      });
    }
  });
}
