import type { ChildProcess } from 'node:child_process';

export interface SupervisedChild {
  /** SIGTERM (graceful: lets the process flush, e.g. a --cpu-prof profile), SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** Last resort for process 'exit' handlers: synchronous SIGKILL. */
  killNow(): void;
}

/** Stop/kill for a benchmark's child process (API server, controllers, scheduler), safe to call after it exited. */
export function superviseChild(child: ChildProcess): SupervisedChild {
  let exited = child.exitCode !== null;
  const exitedPromise = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  return {
    async stop(graceMs = 10_000) {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exitedPromise;
      clearTimeout(timer);
    },
    killNow() {
      if (!exited) child.kill('SIGKILL');
    },
  };
}
