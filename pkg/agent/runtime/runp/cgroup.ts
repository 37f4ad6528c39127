import { existsSync } from 'node:fs';
import { mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Memory limits for RunP containers through a cgroup, where the host lets us create one:
 * cgroup v2 (`memory.max` in a child of `<root>/kuscia-runp`, the memory controller enabled down
 * the path) or the v1 memory hierarchy (`memory.limit_in_bytes`), whichever is mounted writable.
 * The process joins its cgroup before it execs (see container-process.ts), so nothing it forks
 * escapes the limit.
 */
export interface MemoryCgroups {
  readonly kind: 'v2' | 'v1';
  /** Creates the container's cgroup with the limit; returns its `cgroup.procs` path. */
  create(name: string, limitBytes: bigint): Promise<MemoryCgroup>;
}

export interface MemoryCgroup {
  procsFile: string;
  /** True when the kernel OOM-killed a process of this cgroup. */
  oomKilled(): Promise<boolean>;
  remove(): Promise<void>;
}

const PARENT = 'kuscia-runp';

/** Probes the host once; undefined when no writable memory cgroup is available (limits are then not enforced). */
export async function probeMemoryCgroups(root = '/sys/fs/cgroup'): Promise<MemoryCgroups | undefined> {
  const v2 = existsSync(join(root, 'cgroup.controllers'));
  const base = v2 ? root : join(root, 'memory');
  if (!v2 && !existsSync(join(base, 'memory.limit_in_bytes'))) return undefined;
  const parent = join(base, PARENT);
  try {
    await mkdir(parent, { recursive: true });
    if (v2) {
      await writeFile(join(root, 'cgroup.subtree_control'), '+memory').catch(() => undefined);
      await writeFile(join(parent, 'cgroup.subtree_control'), '+memory');
    }
    const cgroups = makeCgroups(v2 ? 'v2' : 'v1', parent);
    const probe = await cgroups.create(`probe-${process.pid}`, 64n * 1024n * 1024n);
    await probe.remove();
    return cgroups;
  } catch {
    return undefined;
  }
}

function makeCgroups(kind: 'v2' | 'v1', parent: string): MemoryCgroups {
  const limitFile = kind === 'v2' ? 'memory.max' : 'memory.limit_in_bytes';
  const eventsFile = kind === 'v2' ? 'memory.events' : 'memory.oom_control';
  return {
    kind,
    async create(name, limitBytes) {
      const dir = join(parent, name);
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, limitFile), String(limitBytes));
      return {
        procsFile: join(dir, 'cgroup.procs'),
        async oomKilled() {
          const text = await readFile(join(dir, eventsFile), 'utf8').catch(() => '');
          const m = /^oom_kill (\d+)$/m.exec(text);
          return m !== null && Number(m[1]) > 0;
        },
        // A cgroup can only be removed once empty; the caller waits for the process group first.
        remove: () => rmdir(dir).catch(() => undefined),
      };
    },
  };
}
