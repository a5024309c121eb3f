// Each way `login` can fail has its own message naming the endpoint and what to do; nothing is ever written.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import { after, before, test } from 'node:test';
import { ClientHome, plainApp, serve, type Local } from '../client/helpers.js';
import { makeKey } from '../helpers/keys.js';
import { hasStackTrace, TempDirs } from './helpers.js';

const HOUR = 3_600_000;
const keys = {
  revoked: makeKey('service', { name: 'old-ci', revoked_at: new Date(Date.now() - HOUR).toISOString() }),
  expired: makeKey('service', { name: 'temp', expires_at: new Date(Date.now() - HOUR).toISOString() }),
  unknown: makeKey('service'),
};
const tmp = new TempDirs();
const locals: Local[] = [];
let guarded: string;
let hang: string;
let html: string;
let jsonNotOurs: string;
let refused: string;
let plainText: string;
let proxy: string;
const messages: string[] = [];

/** A server that answers every request with `handler`. */
const local = async (handler: Parameters<typeof createServer>[1]): Promise<string> => {
  const l = await serve(createServer(handler) as Server);
  locals.push(l);
  return l.url;
};

before(async () => {
  const app = await plainApp({ keys: [keys.revoked.entry, keys.expired.entry], withWhoami: true });
  locals.push(app);
  guarded = app.url;
  hang = await local(() => undefined);
  html = await local((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>login page</html>'));
  jsonNotOurs = await local((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"hello":"world"}'));
  // A plain server that is not bearer-guard: text 404 for unknown routes, text 401 for a wrong token.
  plainText = await local((req, res) => {
    if (req.url !== '/v2/models/') return void res.writeHead(404, { 'content-type': 'text/plain' }).end('404: Not Found');
    if (req.headers.authorization !== `Bearer ${keys.revoked.token}`) return void res.writeHead(401, { 'content-type': 'text/plain' }).end('Unauthorized');
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"models":[]}');
  });
  proxy = await local((_req, res) => res.writeHead(502, { 'content-type': 'text/html' }).end('<html>Bad Gateway</html>'));
  // A port that was just free: nothing listens there.
  const gone = await serve(createServer());
  gone.close();
  refused = gone.url;
});
after(() => {
  for (const l of locals) l.close();
  tmp.cleanup();
});

const CASES: Array<{ name: string; endpoint: () => string; token: string; extra?: string[]; message: RegExp }> = [
  { name: 'connection refused', endpoint: () => refused, token: keys.unknown.token, message: /login: cannot connect to http:\/\/127\.0\.0\.1:\d+: connection refused; is the server running and listening there\?/ },
  { name: 'timeout (--timeout 1)', endpoint: () => hang, token: keys.unknown.token, extra: ['--timeout', '1'], message: /login: no answer from http:\/\/127\.0\.0\.1:\d+ within 1 s; .*--timeout SECONDS/ },
  { name: 'DNS failure', endpoint: () => 'http://no-such-host.invalid:5000', token: keys.unknown.token, message: /login: cannot find the host of http:\/\/no-such-host\.invalid:5000: DNS lookup failed \((ENOTFOUND|EAI_AGAIN)\)/ },
  { name: 'TLS error (https to a plain-http port)', endpoint: () => guarded.replace('http:', 'https:'), token: keys.unknown.token, message: /login: TLS error with https:\/\/127\.0\.0\.1:\d+ \(\w+\); check that the server speaks https/ },
  { name: '401 revoked', endpoint: () => guarded, token: keys.revoked.token, message: /login: http:\/\/127\.0\.0\.1:\d+ refused the token \(401: Bearer token revoked\); ask for a new token/ },
  { name: '401 expired', endpoint: () => guarded, token: keys.expired.token, message: /refused the token \(401: Bearer token expired\); ask for a new token/ },
  { name: '401 invalid', endpoint: () => guarded, token: keys.unknown.token, message: /refused the token \(401: Invalid bearer token\); check the token/ },
  { name: 'a non-JSON answer', endpoint: () => html, token: keys.unknown.token, message: /\/v2\/auth\/whoami answered 200 with Content-Type text\/html and a body that is not JSON: that is not a bearer-guard or DEEPaaS server/ },
  { name: 'a text 401 from a server that is not bearer-guard', endpoint: () => plainText, token: keys.unknown.token, message: /login: http:\/\/127\.0\.0\.1:\d+ refused the token \(401\); check the token/ },
  { name: 'a proxy error page', endpoint: () => proxy, token: keys.unknown.token, message: /login: http:\/\/127\.0\.0\.1:\d+\/v2\/auth\/whoami answered 502; nothing/ },
  { name: 'JSON that is not an identity', endpoint: () => jsonNotOurs, token: keys.unknown.token, message: /whoami answered 200 with JSON that is not an identity: that is not a bearer-guard or DEEPaaS server/ },
];

for (const c of CASES) {
  test(`login fails on ${c.name}, with its own message, and writes nothing`, async () => {
    const home = new ClientHome(tmp);
    const r = await home.login(c.endpoint(), c.token, ...(c.extra ?? []));
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, c.message);
    assert.match(r.stderr, /; nothing was saved\n$/);
    assert.equal(r.stderr.split('\n').length, 2, 'one line');
    assert.ok(!hasStackTrace(r.stderr));
    assert.ok(!r.stderr.includes(c.token.slice(4, 20)));
    assert.equal(fs.existsSync(home.configDir), false, 'nothing written, not even the directory');
    messages.push(r.stderr);
  });
}

test('the messages differ from each other (ports aside)', () => {
  assert.equal(messages.length, CASES.length);
  assert.equal(new Set(messages.map((m) => m.replace(/:\d+/g, ':PORT'))).size, CASES.length);
});

test('a server whose 404 is plain text still gets the fallback', async () => {
  const home = new ClientHome(tmp);
  const r = await home.login(plainText, keys.revoked.token);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /the server has no \/v2\/auth\/whoami; GET \/v2\/models\/ accepted the token\n/);
});

test('token sources: --token and a positional token are usage errors that say why; two sources or none too', async () => {
  const home = new ClientHome(tmp);
  for (const args of [['login', '--token', 'abc'], ['login', '--token=abc'], ['login', 'abc123XYZ456def789']]) {
    const r = await home.cli(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, /never taken from the command line, where it would show in ps and in shell history/);
    assert.ok(!r.stderr.includes('abc123XYZ456def789'));
  }
  const both = await home.cli(['login', '--with-token', '--token-file', '/x']);
  assert.equal(both.code, 2);
  const none = await home.cli(['login', '--endpoint', guarded]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /no token given and stdin is not a terminal/);
  const empty = await home.cli(['login', '--with-token', '--endpoint', guarded], { input: '' });
  assert.equal(empty.code, 1);
  assert.match(empty.stderr, /stdin is empty/);
  assert.equal(fs.existsSync(home.configDir), false);
});
