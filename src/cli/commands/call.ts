// `bearer-guard call METHOD PATH` and `predict MODEL --file F`: authenticated requests, body to stdout, status to stderr.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { shownUrl, urlOf } from '../../client/endpoint.js';
import { send, bodyText, type Target } from '../../client/http.js';
import { fsReason, shownPath } from '../../safety/paths.js';
import { mayContainToken } from '../../safety/redact.js';
import { asUsage, contextOption, credentialsFor, timeoutMsOf, timeoutOption } from '../client-session.js';
import type { CliContext } from '../context.js';
import { failure, usageError } from '../errors.js';

interface RequestOptions {
  context?: string;
  timeout?: string;
  data?: string;
  form?: string[];
  header?: string[];
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** The bytes of a file named by an option, or a failure naming it. */
function readInput(cmd: Command, path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw usageError(cmd, `${what}: cannot read ${shownPath(path)}: ${fsReason(err)}`);
  }
}

/** Sends the request, prints the body on stdout and `HTTP <status>` on stderr. @throws failure on 4xx/5xx */
async function sendAndPrint(ctx: CliContext, target: Target, method: string, path: string, init: RequestInit): Promise<void> {
  const res = await send(target, path, { ...init, method });
  const body = await bodyText(res, target);
  ctx.out(body.endsWith('\n') || body === '' ? body : `${body}\n`);
  const location = res.headers.get('location');
  const where = location !== null && !mayContainToken(location) && location.length < 300 ? ` (Location: ${location}; redirects are not followed)` : '';
  ctx.err(`HTTP ${res.status} ${res.statusText}${where}\n`);
  if (res.status >= 400) throw failure(`${method} ${shownUrl(`${target.endpoint}${path}`)} answered ${res.status}`);
}

function targetOf(cmd: Command, ctx: CliContext, opts: RequestOptions): Target {
  const timeoutMs = timeoutMsOf(cmd, opts.timeout);
  const c = asUsage(cmd, () => credentialsFor(ctx, opts.context));
  return { endpoint: c.endpoint, token: c.token, timeoutMs };
}

/** Adds `call` and `predict` to the program. */
export function addCall(program: Command, ctx: CliContext): void {
  program
    .command('call')
    .description('send an authenticated request to the endpoint, as gh api does: the body goes to stdout, the status to stderr; exit 1 on 4xx and 5xx')
    .argument('<method>', 'GET, POST, PUT, PATCH, DELETE, ...')
    .argument('<path>', 'a path under the endpoint, e.g. /v2/models/')
    .addOption(contextOption())
    .option('--data <json>', 'a JSON body (or @file.json), sent as application/json')
    .option('--form <field=value>', 'a multipart field; field=@path uploads a file (repeatable)', collect)
    .option('--header <header>', 'an extra header "Name: value" (repeatable; not Authorization)', collect)
    .addOption(timeoutOption())
    .addHelpText('after', '\nExamples:\n  bearer-guard call GET /v2/models/\n  bearer-guard call POST /v2/models/iris/predict --form data=@flowers.csv\n')
    .action(async (method: string, path: string, opts: RequestOptions, cmd: Command) => {
      if (!/^[A-Za-z]{1,20}$/.test(method)) throw usageError(cmd, 'METHOD must be an HTTP method such as GET or POST');
      asUsage(cmd, () => urlOf('http://x', path));
      if (opts.data !== undefined && opts.form !== undefined) throw usageError(cmd, 'give either --data or --form, not both');
      const headers = new Headers();
      for (const h of opts.header ?? []) {
        const m = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):\s*(.*)$/.exec(h);
        if (m === null) throw usageError(cmd, '--header must look like "Name: value"');
        if (m[1]!.toLowerCase() === 'authorization') throw usageError(cmd, '--header Authorization is not allowed: the token comes from the context (or BEARER_GUARD_TOKEN)');
        headers.append(m[1]!, m[2]!);
      }
      const init: RequestInit = { headers };
      if (opts.data !== undefined) {
        const text = opts.data.startsWith('@') ? readInput(cmd, opts.data.slice(1), '--data').toString('utf8') : opts.data;
        try {
          JSON.parse(text);
        } catch {
          throw usageError(cmd, '--data must be JSON (the value is not shown)');
        }
        if (!headers.has('content-type')) headers.set('content-type', 'application/json');
        init.body = text;
      } else if (opts.form !== undefined) {
        const form = new FormData();
        for (const field of opts.form) {
          const eq = field.indexOf('=');
          if (eq < 1) throw usageError(cmd, '--form must look like field=value or field=@path');
          const [name, value] = [field.slice(0, eq), field.slice(eq + 1)];
          if (value.startsWith('@')) form.append(name, new Blob([readInput(cmd, value.slice(1), '--form')]), basename(value.slice(1)));
          else form.append(name, value);
        }
        init.body = form;
      }
      await sendAndPrint(ctx, targetOf(cmd, ctx, opts), method.toUpperCase(), path, init);
    });

  program
    .command('predict')
    .description("DEEPaaS's predict call: uploads a file as the multipart field data to /v2/models/MODEL/predict/; the answer goes to stdout")
    .argument('<model>', 'the model name, e.g. iris')
    .requiredOption('--file <path>', 'the input file, e.g. data.csv')
    .addOption(contextOption())
    .addOption(timeoutOption())
    .addHelpText('after', '\nExample:\n  bearer-guard predict iris --file flowers.csv\n')
    .action(async (model: string, opts: RequestOptions & { file: string }, cmd: Command) => {
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(model)) throw usageError(cmd, 'MODEL must be a model name: letters, digits, ".", "_" or "-"');
      const form = new FormData();
      form.append('data', new Blob([readInput(cmd, opts.file, '--file')]), basename(opts.file));
      await sendAndPrint(ctx, targetOf(cmd, ctx, opts), 'POST', `/v2/models/${model}/predict/`, { body: form });
    });
}
