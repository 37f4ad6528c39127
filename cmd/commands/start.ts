import { Command } from 'commander';
import { resolve } from 'node:path';
import { pino } from 'pino';
import { stopOnSignal } from './stop-on-signal.ts';

interface StartFlags {
  config: string;
}

/**
 * `kuscia start -c kuscia.yaml`: one node (master, lite or autonomy) as Kuscia starts it. Prints
 * `kuscia start: <mode> <domain> ready` once every module is ready; a bad kuscia.yaml or a module
 * that cannot start ends it with one line and exit 1. SIGTERM/SIGINT stop the modules in reverse.
 */
export function startCommand(): Command {
  return new Command('start')
    .description('start a Kuscia node (master, lite or autonomy) from kuscia.yaml')
    .requiredOption('-c, --config <file>', 'kuscia.yaml (`kuscia init` writes one)')
    .action(async (opts: StartFlags) => {
      const { loadKusciaConfig, checkStartable, ConfigError } = await import('../../pkg/config/index.ts');
      const path = resolve(opts.config);
      let config;
      try {
        config = await loadKusciaConfig(path);
      } catch (err) {
        if (err instanceof ConfigError) fail(err.message);
        throw err;
      }
      const unsupported = checkStartable(config, path);
      if (unsupported) fail(unsupported.message);
      const log = pino({ level: config.logLevel }).child({ mode: config.mode, domain: config.domainID });
      const { planNode } = await import('../../pkg/modules/node-modules.ts');
      const { startModules } = await import('../../pkg/modules/module-manager.ts');
      const plan = planNode(config, log);
      let running;
      try {
        running = await startModules(plan.modules, log);
      } catch (err) {
        fail(`kuscia start: ${(err as Error).message}`);
      }
      const registration = plan.registrationUrl();
      process.stdout.write(
        `kuscia start: ${config.mode} ${config.domainID} ready\nkubeconfig: ${plan.kubeconfigPath}\n` + (registration ? `registration endpoint: ${registration}\n` : ''),
      );
      const modules = running;
      stopOnSignal(() => modules.stop(), log);
    });
}

/** One line on stderr and exit 1: what an operator sees for a bad kuscia.yaml or a failed start. */
function fail(line: string): never {
  process.stderr.write(`${line}\n`);
  process.exit(1);
}
