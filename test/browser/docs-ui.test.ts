// The example server's Swagger UI in a real headless Chromium: Authorize with the token, "Try it out" on GET /v2/models/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { cleanEnv, startServer, type StartedServer } from '../helpers/example-server.js';

const TOKEN = 'docs-ui-token-0123456789abcdefghijklmnopqrstuv';
// Debian's chromium; `bash .ci/run` installs it when missing. CHROMIUM_PATH points elsewhere.
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const WAIT = { timeout: 30_000 };
// Swagger UI's id for an operation is operations-<tag>-<operationId>; the tag may change.
const LIST_MODELS = '[id^="operations-"][id$="-listModels"]';

/** What one "Try it out" of GET /v2/models/ showed, and the Authorization header the page sent. */
interface TryOut {
  status: string;
  body: string;
  authorization: string | undefined;
}

describe('Swagger UI at /docs in headless Chromium', { timeout: 120_000 }, () => {
  let server!: StartedServer;
  let browser!: Browser;
  // Every URL the pages asked for: all of them must be the server's own.
  const requested: string[] = [];

  before(async () => {
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium (bash .ci/run does) or set CHROMIUM_PATH`);
    server = await startServer(['--auth-bearer-token', TOKEN], cleanEnv());
    // CI runs as root, where Chromium's sandbox cannot start.
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function openDocs(path = '/docs'): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    page.on('request', (request) => requested.push(request.url()));
    await page.goto(server.url + path);
    await page.locator(LIST_MODELS).waitFor(WAIT);
    return page;
  }

  /** Expands GET /v2/models/, presses "Try it out" and "Execute", and reads the live response. */
  async function tryListModels(page: Page): Promise<TryOut> {
    const operation = page.locator(LIST_MODELS);
    await operation.locator('.opblock-summary').first().click();
    await operation.locator('button.try-out__btn').click(WAIT);
    const sent = page.waitForRequest((r) => r.url() === `${server.url}/v2/models/`, WAIT);
    await operation.locator('button.execute').click(WAIT);
    const request = await sent;
    const live = operation.locator('.live-responses-table .response');
    await live.first().waitFor(WAIT);
    return {
      status: (await live.locator('.response-col_status').first().innerText()).trim(),
      body: await live.locator('.response-col_description').first().innerText(),
      authorization: (await request.allHeaders())['authorization'],
    };
  }

  test('without authorizing, "Try it out" on GET /v2/models/ gets 401', async () => {
    const page = await openDocs();
    const got = await tryListModels(page);
    assert.equal(got.status, '401');
    assert.match(got.body, /Bearer token required/);
    assert.equal(got.authorization, undefined);
    await page.context().close();
  });

  test('Authorize with the token, then "Try it out" on GET /v2/models/ gets 200 and the model list', async () => {
    const page = await openDocs();
    await page.locator('.auth-wrapper .btn.authorize').click(WAIT);
    await page.locator('#auth-bearer-value').fill(TOKEN);
    await page.getByRole('button', { name: 'Apply credentials' }).click(WAIT);
    await page.locator('.modal-ux .btn-done').click(WAIT);
    const got = await tryListModels(page);
    assert.equal(got.status, '200');
    assert.match(got.body, /iris-rf/);
    assert.equal(got.authorization, `Bearer ${TOKEN}`);
    await page.context().close();
  });

  test("DEEPaaS's /ui and /api lead to the same page", async () => {
    for (const path of ['/ui', '/api']) {
      const page = await openDocs(path);
      assert.equal(page.url(), `${server.url}/docs`, path);
      await page.context().close();
    }
  });

  test('the pages loaded nothing from anywhere but the server', () => {
    assert.ok(requested.length > 0);
    assert.deepEqual(
      requested.filter((url) => !url.startsWith(`${server.url}/`)),
      [],
    );
  });
});
