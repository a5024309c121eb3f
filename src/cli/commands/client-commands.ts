// Registers the client-side commands: login, logout, status, context ..., call and predict.
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { addCall } from './call.js';
import { addContextEdit } from './context-edit.js';
import { addContextShow } from './context-show.js';
import { addLogin } from './login.js';
import { addStatus } from './status.js';

/** Adds the commands that call a protected server with saved credentials. */
export function addClientCommands(program: Command, ctx: CliContext): void {
  addLogin(program, ctx);
  const group = program.command('context').description('list, show, switch, rename and delete the saved contexts (endpoint + token) that login wrote');
  addContextShow(group, ctx);
  addContextEdit(group, program, ctx);
  addStatus(program, ctx);
  addCall(program, ctx);
}
