/**
 * RSS of a process tree from /proc: a `kuscia start` master with its child processes (apiserver,
 * controllers, scheduler), or a lite with the task processes RunP started for its pods. RunP puts
 * each container in a process group of its own (detached), but the parent stays the lite, so the
 * parent links of /proc/<pid>/stat find them all.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { readProcMemory } from '../common/proc-stats.ts';

export interface TreeMember {
  pid: number;
  /** What the process is: `kuscia <subcommand>` (`kuscia apiserver`), else its script or program name. */
  label: string;
  rssMiB: number;
}

/** Every live process's parent, read at once so the tree is one snapshot. */
function parentsByPid(): Map<number, number> {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      // Fields after the ")" of comm (which may hold spaces): state, ppid, ...
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      parents.set(pid, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // Exited while we listed /proc.
    }
  }
  return parents;
}

/** The root and all its descendants, root first. */
export function treePids(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parentsByPid()) {
    const list = children.get(ppid) ?? [];
    list.push(pid);
    children.set(ppid, list);
  }
  const out: number[] = [];
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop()!;
    out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

export function labelOf(pid: number): string {
  const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  const script = argv.findIndex((a) => a.endsWith('cmd/kuscia.ts'));
  if (script >= 0) return `kuscia ${argv[script + 1] ?? ''}`.trim();
  // A Node script (the fake engine: pkg/fakeengine/main.ts) by its directory and file, else the program.
  const program = argv.find((a) => a.endsWith('.ts')) ?? argv[0] ?? '?';
  return program.split('/').slice(program.endsWith('.ts') ? -2 : -1).join('/');
}

/** The tree's live members with their RSS now (processes that exit meanwhile are left out). */
export function readTree(root: number): TreeMember[] {
  const members: TreeMember[] = [];
  for (const pid of treePids(root)) {
    try {
      const { rssMiB } = readProcMemory(pid);
      // A zombie (exited, not yet reaped) has no VmRSS: it holds no memory.
      if (Number.isFinite(rssMiB)) members.push({ pid, label: labelOf(pid), rssMiB });
    } catch {
      // Exited meanwhile.
    }
  }
  return members;
}
