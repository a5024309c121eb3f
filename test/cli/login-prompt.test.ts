// `login` in a terminal: the hidden prompt (run under `script`, which gives the CLI a real pseudo-terminal).
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { ClientHome, plainApp, type Local } from '../client/helpers.js';
import { ROOT, TempDirs } from './helpers.js';

const TOKEN = randomBytes(32).toString('base64url');
const hasScript = ((): boolean => {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const tmp = new TempDirs();
let app: Local;
before(async () => {
  app = await plainApp({ token: TOKEN, withWhoami: true });
});
after(() => {
  app?.close();
  tmp.cleanup();
});

/** Runs `login` on a pseudo-terminal; types `keys` once the prompt shows. @returns exit code and everything the terminal showed */
function loginOnTerminal(home: ClientHome, keys: string): Promise<{ code: number | null; screen: string }> {
  return new Promise((resolve, reject) => {
    const command = `'${process.execPath}' dist/esm/cli/main.js login --endpoint ${app.url}`;
    const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], { cwd: ROOT, env: { ...process.env, ...home.env() }, stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    let typed = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const onData = (d: Buffer): void => {
      screen += d.toString('utf8');
      if (!typed && screen.includes('Token for')) {
        typed = true;
        child.stdin.write(keys);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      child.stdin.destroy();
      resolve({ code, screen });
    });
  });
}

test('login without --with-token in a terminal prompts with hidden input, then saves the token', { skip: hasScript ? false : 'needs script(1) from util-linux for a pseudo-terminal' }, async () => {
  const home = new ClientHome(tmp);
  const { code, screen } = await loginOnTerminal(home, `${TOKEN}\r`);
  assert.equal(code, 0, screen);
  assert.match(screen, /Token for http:\/\/127\.0\.0\.1:\d+:/);
  assert.match(screen, /token from the prompt accepted by/);
  assert.ok(!screen.includes(TOKEN.slice(0, 12)), 'the typed token is not echoed');
  assert.equal(home.read().contexts.default!.token, TOKEN);
});

test('Ctrl-C at the prompt cancels, and nothing is saved', { skip: hasScript ? false : 'needs script(1) from util-linux for a pseudo-terminal' }, async () => {
  const home = new ClientHome(tmp);
  const { code, screen } = await loginOnTerminal(home, 'abc\x03');
  assert.equal(code, 1, screen);
  assert.match(screen, /login: cancelled; nothing was saved/);
  assert.equal(fs.existsSync(home.configDir), false);
});
