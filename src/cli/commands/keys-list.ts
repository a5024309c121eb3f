// `bearer-guard keys list`: the keys of the keys file as a table or JSON, with their status; never a digest.
import type { Command } from 'commander';
import { FileKeyStore } from '../../keys/file-store.js';
import type { CliContext } from '../context.js';
import { keyTable, keyView } from '../key-view.js';
import { keysFileOf } from '../keys-file.js';
import { keysFileLabel } from '../../keys/file-format.js';
import { jsonOption, keysFileOption } from './shared-options.js';

interface ListOptions {
  keysFile?: string;
  json?: boolean;
}

/** Adds `keys list` to the `keys` group. */
export function addKeysList(keys: Command, ctx: CliContext): void {
  keys
    .command('list')
    .description('list the keys: id, name, family, scopes, hint, created, expires, status (active, expired or revoked)')
    .addOption(keysFileOption())
    .addOption(jsonOption('print a JSON array of {id,name,family,scopes,hint,created_at,expires_at,revoked_at,status}'))
    .action((opts: ListOptions, cmd: Command) => {
      const file = keysFileOf(cmd, opts.keysFile, ctx.env);
      const entries = new FileKeyStore(file).list();
      const now = ctx.now();
      if (opts.json === true) {
        ctx.out(`${JSON.stringify(entries.map((e) => keyView(e, now)))}\n`);
      } else if (entries.length === 0) {
        ctx.err(`no keys in ${keysFileLabel(file)}\n`);
      } else {
        ctx.out(keyTable(entries, now));
      }
    });
}
