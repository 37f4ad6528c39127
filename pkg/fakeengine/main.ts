import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { EnvContractError, readTaskEnv, type TaskEnv } from './env-contract.ts';
import { runPeerMode } from './peer-mode.ts';
import { inputFromConfigFile, parseTaskConfig, TaskConfigError, type FakeTaskConfig } from './task-config.ts';

/**
 * The fake engine: a built-in app for tests and examples. `fake-engine [config-file]`: validates
 * Kuscia's env contract, sleeps, writes its output file and message, exits with the configured
 * code. The termination message goes to $KUSCIA_TERMINATION_MESSAGE_PATH (RunP) or
 * /dev/termination-log when that exists (a container).
 */
function main(argv: string[], env: NodeJS.ProcessEnv): void {
  process.on('SIGTERM', () => {
    process.stderr.write('fake-engine: terminated by SIGTERM\n');
    process.exit(143);
  });
  let config: FakeTaskConfig;
  let task: TaskEnv;
  try {
    task = readTaskEnv(env);
    const fromFile = argv[0] ? inputFromConfigFile(readFileSync(argv[0], 'utf8')) : undefined;
    config = parseTaskConfig(fromFile ?? task.taskInputConfig);
  } catch (err) {
    if (!(err instanceof EnvContractError || err instanceof TaskConfigError || (err as NodeJS.ErrnoException).code === 'ENOENT')) throw err;
    fail(`fake-engine: ${(err as Error).message}`, env);
    return;
  }
  process.stdout.write(`fake-engine: task ${task.taskID} in domain ${task.domainID}, ports [${task.ports.map((p) => `${p.name}=${p.port}`).join(' ')}]\n`);
  const { exit, message, output } = config;
  if (config.peer) {
    const say = (line: string) => process.stdout.write(`${line}\n`);
    runPeerMode(task, env, config.peerTimeout ?? 60, config.sleep, say).then(
      () => finish(),
      (err: unknown) => fail(`fake-engine: ${(err as Error).message}`, env),
    );
    return;
  }
  setTimeout(() => finish(), config.sleep * 1000);

  function finish(): void {
    if (output) {
      const file = resolve(output);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify({ taskID: task!.taskID, domainID: task!.domainID }) + '\n');
    }
    if (message) {
      process.stderr.write(`${message}\n`);
      writeTerminationMessage(message, env);
    }
    process.stdout.write(`fake-engine: done, exit ${exit}\n`);
    process.exitCode = exit;
  }
}

function fail(message: string, env: NodeJS.ProcessEnv): void {
  process.stderr.write(`${message}\n`);
  writeTerminationMessage(message, env);
  process.exitCode = 2;
}

function writeTerminationMessage(message: string, env: NodeJS.ProcessEnv): void {
  const path = env['KUSCIA_TERMINATION_MESSAGE_PATH'] || (existsSync('/dev/termination-log') ? '/dev/termination-log' : undefined);
  if (!path) return;
  try {
    appendFileSync(path, message);
  } catch {
    // No termination log here (not a container): stderr carries the message.
  }
}

main(process.argv.slice(2), process.env);
