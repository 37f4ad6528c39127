/** Set by `kuscia start` on the modules it runs as child processes; their stdin is a pipe from it. */
export const SUPERVISOR_PIPE_ENV = 'KUSCIA_SUPERVISOR_PIPE';

/**
 * A module started by `kuscia start` stops when its supervisor is gone. The supervisor holds the
 * write end of this process's stdin and never writes, so end-of-file means it exited, even by
 * SIGKILL, which it cannot forward. Without this an API server killed with its node would keep
 * its port, and the restarted node's API server could not bind it. Linux has no portable
 * parent-death signal for Node, so the pipe is the signal; stopping goes through the SIGTERM path.
 */
export function exitWithSupervisor(env: NodeJS.ProcessEnv = process.env): void {
  if (env[SUPERVISOR_PIPE_ENV] !== '1') return;
  process.stdin.on('end', () => process.kill(process.pid, 'SIGTERM'));
  process.stdin.on('error', () => process.kill(process.pid, 'SIGTERM'));
  process.stdin.resume();
}
