import { join } from 'node:path';

/**
 * Where container logs live, in the kubelet's layout (Kuscia keeps it under var/stdout/pods):
 * `<root>/<namespace>_<pod>_<uid>/<container>/<restartCount>.log`. Runtimes write these files in the
 * CRI log format (cri-log-format.ts); the agent's log server and `kubectl logs` read them.
 */
/** The log root under an agent's state root: runtimes write there, the log server reads there. */
export function agentLogRoot(rootDir: string): string {
  return join(rootDir, 'logs');
}

export function podLogDir(root: string, namespace: string, pod: string, uid: string): string {
  return join(root, `${namespace}_${pod}_${uid}`);
}

export function containerLogFile(root: string, namespace: string, pod: string, uid: string, container: string, restartCount: number): string {
  return join(podLogDir(root, namespace, pod, uid), container, `${restartCount}.log`);
}
