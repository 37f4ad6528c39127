import { isAbsolute, join, resolve } from 'node:path';
import { execa } from 'execa';
import type { CriLogWriter } from './cri-log-writer.ts';
import { isExecutableFile } from '../../../os/executable-file.ts';

export interface StartRequest {
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  log: CriLogWriter;
  /** When set, the process joins this cgroup (writes its pid to the file) before it execs. */
  cgroupProcsFile?: string;
}

export interface RunningProcess {
  /** Pid of the container's main process, also its process group id. */
  pid: number;
  /** Exit code (128 + signal number when killed by a signal, as runtimes report it). */
  exited: Promise<{ exitCode: number; signal?: string }>;
}

/** The container's command cannot run (containerd's StartError). */
export class StartError extends Error {
  override readonly name = 'StartError';
}

const SIGNAL_NUMBERS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGABRT: 6, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15 };

/**
 * Starts a container's process as the leader of a new process group (so the whole tree can be
 * killed), stdin closed, stdout/stderr into the container log. The executable is resolved before
 * the spawn so a missing one is a StartError with the runtime's message, not an exit code.
 */
export function startContainerProcess(req: StartRequest): RunningProcess {
  const [file, ...args] = req.argv;
  if (!file) throw new StartError('no command specified');
  const executable = resolveExecutable(file, req.cwd, req.env.PATH ?? '');
  // The cgroup must hold the process before it can fork; a shell joins it and execs the command.
  const [spawnFile, spawnArgs] = req.cgroupProcsFile
    ? ['/bin/sh', ['-c', 'echo $$ > "$0" && exec "$@"', req.cgroupProcsFile, executable, ...args]]
    : [executable, args];
  const child = execa(spawnFile, spawnArgs, {
    cwd: req.cwd,
    env: req.env,
    extendEnv: false,
    detached: true,
    cleanup: false,
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
    buffer: false,
    reject: false,
  });
  if (child.pid === undefined) throw new StartError(`exec: "${file}": could not be started`);
  req.log.attach(child.stdout!, 'stdout');
  req.log.attach(child.stderr!, 'stderr');
  const exited = child.then((result) => {
    if (result.signal) return { exitCode: 128 + (SIGNAL_NUMBERS[result.signal] ?? 0), signal: result.signal };
    return { exitCode: result.exitCode ?? 0 };
  });
  return { pid: child.pid, exited };
}

/** Like execvp: a name with a slash is a path (relative to the working dir), otherwise searched on PATH. */
export function resolveExecutable(file: string, cwd: string, path: string): string {
  if (file.includes('/')) {
    const full = isAbsolute(file) ? file : resolve(cwd, file);
    if (isExecutableFile(full)) return full;
    throw new StartError(`exec: "${file}": stat ${file}: no such file or directory`);
  }
  for (const dir of path.split(':')) {
    const full = join(dir || '.', file);
    if (isExecutableFile(isAbsolute(full) ? full : resolve(cwd, full))) return isAbsolute(full) ? full : resolve(cwd, full);
  }
  throw new StartError(`exec: "${file}": executable file not found in $PATH`);
}
