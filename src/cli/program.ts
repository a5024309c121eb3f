// The command tree of `bearer-guard`: groups keys, token and config, the client commands, and how usage errors print.
import { Command } from 'commander';
import { addApprovalKeygen } from './commands/approval-keygen.js';
import { addApprovalSign } from './commands/approval-sign.js';
import { addApprovalVerify } from './commands/approval-verify.js';
import { addClientCommands } from './commands/client-commands.js';
import { addConfigCheck } from './commands/config-check.js';
import { addKeysCreate } from './commands/keys-create.js';
import { addKeysImport } from './commands/keys-import.js';
import { addKeysList } from './commands/keys-list.js';
import { addKeysRevoke } from './commands/keys-revoke.js';
import { addKeysRotate } from './commands/keys-rotate.js';
import { addTokenGenerate } from './commands/token-generate.js';
import { addTokenHash } from './commands/token-hash.js';
import type { CliContext } from './context.js';
import { commandPath, redactWords, usageText } from './errors.js';

const EXIT_CODES = '\nExit codes: 0 success, 1 the operation failed (bad or unreadable file, Redis unreachable, unknown id, bad config), 2 usage error.\n';

/** Makes every command print commander's errors as `<command>: <problem>` and `see <command> --help`. */
function shortErrors(cmd: Command): void {
  const path = commandPath(cmd);
  cmd.configureOutput({
    outputError: (text, write) => write(usageText(path, redactWords(text.trim().replace(/^error: /, '')))),
  });
  for (const sub of cmd.commands) shortErrors(sub);
}

/**
 * The `bearer-guard` program. It never exits the process: commander's exits are thrown as
 * CommanderError (see run.ts), and all output goes through `ctx`.
 *
 * @param ctx - where output goes and input comes from
 * @param version - what `--version` prints
 */
export function buildProgram(ctx: CliContext, version: string): Command {
  const program = new Command('bearer-guard')
    .description('Manage the keys and tokens of bearer-guard, check its configuration, and log in to and call protected servers.')
    .version(version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ writeOut: ctx.out, writeErr: ctx.err })
    .addHelpText('after', EXIT_CODES);

  const keys = program.command('keys').description('create, list, revoke and rotate the named keys of a keys file or Redis, and import a keys file into Redis');
  addKeysCreate(keys, ctx);
  addKeysList(keys, ctx);
  addKeysRevoke(keys, ctx);
  addKeysRotate(keys, ctx);
  addKeysImport(keys, ctx);

  const token = program.command('token').description('the single-token setup: generate a token, or hash one');
  addTokenGenerate(token, ctx);
  addTokenHash(token, ctx);

  const config = program.command('config').description('check the configuration a server would load');
  addConfigCheck(config, ctx);

  const approval = program.command('approval').description("approval credentials for governed actions: an approver's keys, signing, and checking");
  addApprovalKeygen(approval, ctx);
  addApprovalSign(approval, ctx);
  addApprovalVerify(approval, ctx);
  // login, logout, status, context ..., call, predict: the client side (docs/client.md).
  addClientCommands(program, ctx);

  shortErrors(program);
  return program;
}
