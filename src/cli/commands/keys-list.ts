// `bearer-guard keys list`: the keys of the keys file as a table or JSON, with their status; never a digest.
import { Option, type Command } from 'commander';
import { KEY_FAMILIES, type KeyFamily } from '../../keys/types.js';
import { FileKeyStore } from '../../keys/file-store.js';
import type { CliContext } from '../context.js';
import { keyTable, keyView } from '../key-view.js';
import { keysFileOf } from '../keys-file.js';
import { keysFileLabel } from '../../keys/file-format.js';
import { jsonOption, keysFileOption } from './shared-options.js';

interface ListOptions {
  family?: KeyFamily;
  keysFile?: string;
  json?: boolean;
}

/** Adds `keys list` to the `keys` group. */
export function addKeysList(keys: Command, ctx: CliContext): void {
  keys
    .command('list')
    .description('list the keys: id, name, family, scopes, hint, created, expires, status (active, expired or revoked), environment and enrollment')
    .addOption(new Option('--family <family>', 'only keys of this family (agent: each agent with the enrollment token that created it)').choices([...KEY_FAMILIES]))
    .addOption(keysFileOption())
    .addOption(jsonOption('print a JSON array of {id,name,family,scopes,hint,created_at,expires_at,revoked_at,status}, plus environment, agent_id, enrolled_by {id,name}, grant_scopes, uses and used where a key has them'))
    .action((opts: ListOptions, cmd: Command) => {
      const file = keysFileOf(cmd, opts.keysFile, ctx.env);
      const all = new FileKeyStore(file).list();
      const entries = opts.family === undefined ? all : all.filter((e) => e.family === opts.family);
      const now = ctx.now();
      if (opts.json === true) {
        ctx.out(`${JSON.stringify(entries.map((e) => keyView(e, now, all)))}\n`);
      } else if (entries.length === 0) {
        ctx.err(`no ${opts.family === undefined ? '' : `${opts.family} `}keys in ${keysFileLabel(file)}\n`);
      } else {
        ctx.out(keyTable(entries, now, all));
      }
    });
}
