// `bearer-guard keys list`: the keys of the keys file or Redis as a table or JSON, with their status (and last use in Redis); never a digest.
import { Option, type Command } from 'commander';
import { KEY_FAMILIES, type KeyFamily } from '../../keys/types.js';
import type { CliContext } from '../context.js';
import { keyTable, keyView } from '../key-view.js';
import { withKeysBackend, type BackendOptions } from '../keys-backend.js';
import { jsonOption, keysFileOption, redisPrefixOption, redisUrlOption } from './shared-options.js';

interface ListOptions extends BackendOptions {
  family?: KeyFamily;
  json?: boolean;
}

/** Adds `keys list` to the `keys` group. */
export function addKeysList(keys: Command, ctx: CliContext): void {
  keys
    .command('list')
    .description('list the keys: id, name, family, scopes, hint, created, expires, status (active, expired or revoked), environment and enrollment; with Redis also when each key was last used')
    .addOption(new Option('--family <family>', 'only keys of this family (agent: each agent with the enrollment token that created it)').choices([...KEY_FAMILIES]))
    .addOption(keysFileOption())
    .addOption(redisUrlOption())
    .addOption(redisPrefixOption())
    .addOption(jsonOption('print a JSON array of {id,name,family,scopes,hint,created_at,expires_at,revoked_at,status}, plus environment, agent_id, enrolled_by {id,name}, grant_scopes, uses and used where a key has them, and last_used_at (an ISO time or null) with Redis'))
    .action(async (opts: ListOptions, cmd: Command) => {
      await withKeysBackend(cmd, opts, ctx, async (backend) => {
        const all = await backend.list();
        const lastUsed = await backend.lastUsed?.();
        const entries = opts.family === undefined ? all : all.filter((e) => e.family === opts.family);
        const now = ctx.now();
        if (opts.json === true) {
          const views = entries.map((e) => ({ ...keyView(e, now, all), ...(lastUsed !== undefined && { last_used_at: lastUsed[e.id] ?? null }) }));
          ctx.out(`${JSON.stringify(views)}\n`);
        } else if (entries.length === 0) {
          ctx.err(`no ${opts.family === undefined ? '' : `${opts.family} `}keys in ${backend.description}\n`);
        } else {
          ctx.out(keyTable(entries, now, all, lastUsed));
        }
      });
    });
}
