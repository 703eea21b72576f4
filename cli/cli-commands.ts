import { backupsRunCommand } from './backups-run-command.js';
import type { CliCommand } from './cli-command.js';
import { eventsTailCommand } from './events-tail-command.js';
import { migrateCommand } from './migrate-command.js';

/**
 * Every command of `cx-accounts`, in the order the usage lists them. A new command is a
 * `defineCommand({ … })` in a file of its own and one entry here: the parser, the usages (the
 * global one, its group's and its own) and `--help` come from the table. An option name keeps
 * one type (flag or value) across commands: `runCli` first reads every command's options at
 * once to find the command's words.
 */
export const CLI_COMMANDS: readonly CliCommand[] = [migrateCommand, backupsRunCommand, eventsTailCommand];
