// deferContinue(): with `Expect: 100-continue`, a refused client gets its 401 before it uploads a
// byte; an admitted one gets `100 Continue`, uploads, and is served. With `send: 'before-read'`,
// only a route about to read the body sends it. Raw sockets, both majors.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import type { RequestHandler } from 'express';
import { Passport } from 'passport';
import { bearerGuard, createBearerStrategy, deferContinue, sendContinue } from '../../src/index.js';
import { buildApp, captureLogger, listen, MAJORS, TOKEN, type TestApp } from '../helpers/apps.js';

interface Exchange {
  /** Status codes in the order they arrived (100 first when the server sent it). */
  statuses: number[];
  /** Whether the client sent its body (it does only after a 100 Continue). */
  sentBody: boolean;
  body: string;
}

/** Sends the head, waits; sends the body only after `100 Continue`, like curl. */
function post(server: Server, path: string, headers: string[], body: string): Promise<Exchange> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const out: Exchange = { statuses: [], sentBody: false, body: '' };
    let buffer = '';
    socket.setTimeout(5000, () => socket.destroy(new Error('timed out')));
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      // Read status heads until the final (non-100) one; what follows it is the body.
      while ((out.statuses.length === 0 || out.statuses.at(-1) === 100) && buffer.includes('\r\n\r\n')) {
        const end = buffer.indexOf('\r\n\r\n');
        const status = Number(buffer.slice(9, 12));
        out.statuses.push(status);
        buffer = buffer.slice(end + 4);
        if (status === 100) {
          out.sentBody = true;
          socket.write(body);
        }
      }
    });
    socket.on('close', () => resolve({ ...out, body: buffer }));
    const type = headers.some((h) => /^content-type:/i.test(h)) ? [] : ['Content-Type: application/json'];
    const head = [`POST ${path} HTTP/1.1`, 'Host: x', 'Expect: 100-continue', ...type, 'Connection: close', ...headers];
    socket.write(`${head.join('\r\n')}\r\n\r\n`);
  });
}

const BODY = '{"data":[[5.1,3.5,1.4,0.2]]}';
const sized = (n: number | string): string => `Content-Length: ${n}`;

async function serve(t: TestApp, defer: boolean): Promise<Server> {
  const server = await listen(t.app);
  return defer ? deferContinue(server) : server;
}

describe('deferContinue(): 100 Continue only after the guard', () => {
  for (const { label, express } of MAJORS) {
    test(`${label}: refused before the upload, admitted after the check`, async () => {
      const t = buildApp(express);
      const server = await serve(t, true);
      try {
        const refused = await post(server, '/v2/models/iris/predict', [sized(10 * 1024 * 1024)], 'x'.repeat(1024));
        assert.deepEqual(refused.statuses, [401], 'a 100 Continue reached the refused client');
        assert.equal(refused.sentBody, false);
        const wrong = await post(server, '/v2/models/iris/predict', [sized(BODY.length), 'Authorization: Bearer nope'], BODY);
        assert.deepEqual(wrong.statuses, [401]);
        const ok = await post(server, '/v2/models/iris/predict', [sized(BODY.length), `Authorization: Bearer ${TOKEN}`], BODY);
        assert.deepEqual(ok.statuses, [100, 200]);
        assert.match(ok.body, /"data":\[\[5\.1,3\.5,1\.4,0\.2\]\]/);
        assert.deepEqual(t.hits, ['predict']);
        assert.equal(t.parsed.count, 1, 'only the admitted body was parsed');
        const publicPath = await post(server, '/v2/', [sized(BODY.length)], BODY);
        assert.deepEqual(publicPath.statuses.slice(0, 1), [100], 'a public path is let through, so it gets its 100');
      } finally {
        server.close();
      }
    });

    test(`${label}: without deferContinue, Node answers 100 before the guard runs (why it exists)`, async () => {
      const t = buildApp(express);
      const server = await serve(t, false);
      try {
        const refused = await post(server, '/v2/models/iris/predict', [sized(BODY.length)], BODY);
        assert.deepEqual(refused.statuses, [100, 401]);
        assert.equal(refused.sentBody, true);
      } finally {
        server.close();
      }
    });

    test(`${label}: createBearerStrategy sends the 100 on success too`, async () => {
      const passport = new Passport();
      passport.use('bearer', createBearerStrategy({ token: TOKEN, logger: captureLogger() }));
      const app = express();
      app.post('/predict', passport.authenticate('bearer', { session: false }) as RequestHandler, express.json(), (req, res) => {
        res.json({ got: req.body as unknown });
      });
      const server = deferContinue(await listen(app));
      try {
        assert.deepEqual((await post(server, '/predict', [sized(BODY.length)], BODY)).statuses, [401]);
        const ok = await post(server, '/predict', [sized(BODY.length), `Authorization: Bearer ${TOKEN}`], BODY);
        assert.deepEqual(ok.statuses, [100, 200]);
        assert.match(ok.body, /"got":\{"data"/);
      } finally {
        server.close();
      }
    });

    test(`${label}: send 'before-read': only a route about to read the body invites it`, async () => {
      const app = express();
      app.use(bearerGuard({ token: TOKEN, logger: captureLogger() }));
      const json = express.json();
      let parsed = 0;
      const readJson: RequestHandler = (req, res, next) => {
        if (!req.is('application/json')) {
          // Refused unread: close, or Node would wait for the body the client holds back.
          res.status(415).set('Connection', 'close').json({ detail: 'Unsupported Content-Type' });
          return;
        }
        parsed++;
        sendContinue(req, res);
        json(req, res, next);
      };
      app.post('/predict', readJson, (req, res) => {
        res.json({ got: req.body as unknown });
      });
      app.use((_req, res) => {
        res.status(404).set('Connection', 'close').json({ detail: 'Not found' });
      });
      const server = deferContinue(await listen(app), { send: 'before-read' });
      try {
        const auth = `Authorization: Bearer ${TOKEN}`;
        // Rows: [path, extra headers, expected statuses].
        const cases: Array<[string, string[], number[]]> = [
          ['/predict', [], [401]],
          ['/predict', [auth], [100, 200]],
          ['/predict', [auth, 'Content-Type: text/csv'], [415]],
          ['/nowhere', [auth], [404]],
        ];
        for (const [path, headers, statuses] of cases) {
          const got = await post(server, path, [sized(BODY.length), ...headers], BODY);
          assert.deepEqual(got.statuses, statuses, `${path} ${headers.join(' ')}`);
          assert.equal(got.sentBody, statuses[0] === 100);
        }
        assert.equal(parsed, 1);
      } finally {
        server.close();
      }
    });
  }

  test('deferContinue refuses bad options with a fix-it message', () => {
    const server = createServer();
    const bad: Array<[unknown, RegExp]> = [
      [{ send: 'later' }, /`send` must be 'after-auth' or 'before-read'/],
      [{ sned: 'before-read' }, /unknown option `sned`/],
      ['before-read', /options must be an object/],
    ];
    for (const [options, message] of bad) {
      assert.throws(() => deferContinue(server, options as never), { code: /ERR_BEARER_GUARD_(INVALID|UNKNOWN)_OPTION/, message });
    }
    assert.equal(server.listenerCount('checkContinue'), 0, 'a refused call installs nothing');
  });
});
