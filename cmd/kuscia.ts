#!/usr/bin/env -S node --disable-warning=ExperimentalWarning --max-semi-space-size=16
/**
 * The kuscia command line: one binary, several subcommands (apiserver now; start, init, ... as
 * the components land). Errors end the process with a non-zero exit and a one-line cause.
 */
import { Command, CommanderError } from 'commander';
import { apiserverCommand } from './commands/apiserver.ts';
import { controllersCommand, schedulerCommand } from './commands/controllers.ts';
import { exitWithSupervisor } from '../pkg/modules/supervisor-pipe.ts';
import { initCommand } from './commands/init.ts';
import { startCommand } from './commands/start.ts';

const program = new Command('kuscia')
  .description('Kuscia: privacy-computing job orchestration on an embedded Kubernetes API')
  .showHelpAfterError()
  .exitOverride();

program.addCommand(apiserverCommand());
program.addCommand(controllersCommand());
program.addCommand(schedulerCommand());
program.addCommand(startCommand());
program.addCommand(initCommand());

exitWithSupervisor();

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) process.exit(e.exitCode);
  console.error(`kuscia: ${(e as Error).message}`);
  process.exit(1);
}
