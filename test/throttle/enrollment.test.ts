// The throttle at the enrollment endpoint: wrong enrollment tokens count, and a blocked IP cannot spend a right one.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { ENROLL_PATH, makeEnrollKey, readEntries, startEnrollServer, tempKeysFile } from '../helpers/enrollment.js';
import { makeKey, writeKeysFile } from '../helpers/keys.js';

const tmp = tempKeysFile();
after(() => tmp.remove());

test('wrong enrollment tokens count; then the right one gets 429 and its use is not spent', async () => {
  const enroll = makeEnrollKey();
  writeKeysFile(tmp.file, [enroll.entry]);
  const server = await startEnrollServer(tmp.file, { throttle: { failures: 2 } });
  try {
    const post = (token: string) => fetch(`${server.url}${ENROLL_PATH}`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    for (let i = 0; i < 3; i++) assert.equal((await post(makeKey('enroll').token)).status, 401);
    const res = await post(enroll.token);
    assert.deepEqual([res.status, await res.json()], [429, { detail: 'Too many failed attempts', error: 'rate_limited' }]);
    assert.equal(readEntries(tmp.file)[0]!.used, 0, 'the enrollment token was not spent');
    assert.deepEqual(server.hits, []);
    assert.deepEqual(server.events.map((e) => e.reason), ['unknown_key', 'unknown_key', 'unknown_key', 'throttled']);
  } finally {
    server.close();
  }
});
