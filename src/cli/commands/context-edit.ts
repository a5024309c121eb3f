// `bearer-guard context use | rename | delete` and `logout`: changes to the credentials file, under its lock.
import type { Command } from 'commander';
import { updateContexts } from '../../client/contexts-file.js';
import { emptyContexts, type ContextsData, type SavedContext } from '../../client/contexts-format.js';
import { checkContextName, unknownContext } from '../../client/resolve.js';
import { asUsage, contextOption, fileOf } from '../client-session.js';
import type { CliContext } from '../context.js';
import { failure, usageError } from '../errors.js';

type Contexts = Record<string, SavedContext>;
const copy = (data: ContextsData): Contexts => Object.assign(Object.create(null) as Contexts, data.contexts);

/** Changes the file; `change` may throw (nothing is written then). */
function edit(ctx: CliContext, change: (data: ContextsData, file: string) => ContextsData): Promise<ContextsData> {
  const { file, warn } = fileOf(ctx);
  return updateContexts(file, warn, (data) => change(data, file));
}

/** The data without `name`; the current context is unset when it was `name`. */
function without(data: ContextsData, name: string, what: string, file: string): ContextsData {
  if (!(name in data.contexts)) throw unknownContext(data, name, what, file);
  const contexts = copy(data);
  delete contexts[name];
  return { version: 1, current: data.current === name ? null : data.current, contexts };
}

const afterRemoval = (ctx: CliContext, name: string, was: ContextsData): void => {
  ctx.err(`removed context "${name}"; the token itself stays valid on the server until revoked (bearer-guard keys revoke ID)\n`);
  if (was.current === name) ctx.err('there is no current context now; pick one with bearer-guard context use NAME\n');
};

/** Adds `context use`, `context rename` and `context delete` to the `context` group, and `logout` to the program. */
export function addContextEdit(group: Command, program: Command, ctx: CliContext): void {
  group
    .command('use')
    .description('make a saved context the current one')
    .argument('<name>', 'a saved context (see bearer-guard context list)')
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      asUsage(cmd, () => checkContextName(name, 'context'));
      await edit(ctx, (data, file) => {
        if (!(name in data.contexts)) throw unknownContext(data, name, 'context use', file);
        return { ...data, current: name };
      });
      ctx.err(`current context: "${name}"\n`);
    });

  group
    .command('rename')
    .description('rename a saved context (it stays current if it was)')
    .argument('<old>', 'the saved context')
    .argument('<new>', 'its new name')
    .action(async (from: string, to: string, _opts: unknown, cmd: Command) => {
      asUsage(cmd, () => [checkContextName(from, 'context'), checkContextName(to, 'new name')]);
      await edit(ctx, (data, file) => {
        const saved = data.contexts[from];
        if (saved === undefined) throw unknownContext(data, from, 'context rename', file);
        if (to in data.contexts) throw failure(`context rename: a context "${to}" already exists; delete it first (bearer-guard context delete ${to}) or pick another name`);
        const contexts = copy(without(data, from, 'context rename', file));
        contexts[to] = saved;
        return { version: 1, current: data.current === from ? to : data.current, contexts };
      });
      ctx.err(`renamed context "${from}" to "${to}"\n`);
    });

  group
    .command('delete')
    .description('delete a saved context and its token from the credentials file')
    .argument('<name>', 'the saved context')
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      asUsage(cmd, () => checkContextName(name, 'context'));
      let was = emptyContexts();
      await edit(ctx, (data, file) => without((was = data), name, 'context delete', file));
      afterRemoval(ctx, name, was);
    });

  program
    .command('logout')
    .description('remove saved credentials: the current context, the one --context names, or all with --all')
    .addOption(contextOption('the context to remove (default: the current one)'))
    .option('--all', 'remove every saved context')
    .action(async (opts: { context?: string; all?: boolean }, cmd: Command) => {
      if (opts.all === true && opts.context !== undefined) throw usageError(cmd, 'give either --context NAME or --all, not both');
      if (opts.context !== undefined) asUsage(cmd, () => checkContextName(opts.context!, '--context'));
      let was = emptyContexts();
      let name: string | undefined;
      await edit(ctx, (data, file) => {
        was = data;
        if (opts.all === true) return emptyContexts();
        name = opts.context ?? data.current ?? undefined;
        if (name === undefined) throw failure(`logout: there is no current context in ${file}; name one with --context NAME, or use --all`);
        return without(data, name, opts.context !== undefined ? '--context' : 'logout', file);
      });
      if (opts.all === true) {
        const n = Object.keys(was.contexts).length;
        ctx.err(`removed all ${n} saved context${n === 1 ? '' : 's'}; their tokens stay valid on the server until revoked\n`);
      } else {
        afterRemoval(ctx, name!, was);
      }
    });
}
