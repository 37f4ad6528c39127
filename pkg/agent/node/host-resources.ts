import { readFile } from 'node:fs/promises';
import { availableParallelism, totalmem } from 'node:os';

/** What the host (or the cgroup the agent runs in) offers: the default node capacity. */
export interface HostResources {
  /** CPU in millicores. */
  milliCpu: number;
  memoryBytes: number;
}

/** Where cgroup files live; a parameter so tests can point it at a fixture tree. */
export interface CgroupPaths {
  /** The cgroup v2 mount (`/sys/fs/cgroup`) or v1 hierarchy root. */
  root: string;
  /** `/proc/self/cgroup`. */
  selfCgroupFile: string;
}

const DEFAULT_CGROUP_PATHS: CgroupPaths = { root: '/sys/fs/cgroup', selfCgroupFile: '/proc/self/cgroup' };

/**
 * Detects capacity as Kuscia's RunP/RunC do when kuscia.yaml leaves it empty: the limits of the
 * cgroup the agent runs in (a container's CPU quota and memory limit are what its pods really get),
 * else the machine's totals. cgroup v2 (`cpu.max`, `memory.max`) first, then v1.
 */
export async function detectHostResources(paths: CgroupPaths = DEFAULT_CGROUP_PATHS): Promise<HostResources> {
  const hostMilliCpu = availableParallelism() * 1000;
  const hostMemory = totalmem();
  const limits = await readCgroupLimits(paths);
  return {
    milliCpu: limits.milliCpu !== undefined ? Math.min(limits.milliCpu, hostMilliCpu) : hostMilliCpu,
    memoryBytes: limits.memoryBytes !== undefined ? Math.min(limits.memoryBytes, hostMemory) : hostMemory,
  };
}

async function readCgroupLimits(paths: CgroupPaths): Promise<Partial<HostResources>> {
  const membership = await readText(paths.selfCgroupFile);
  const unified = /^0::(.*)$/m.exec(membership ?? '')?.[1]?.trim();
  const v2 = unified !== undefined ? await readV2(`${paths.root}${unified === '/' ? '' : unified}`) : {};
  if (v2.milliCpu !== undefined || v2.memoryBytes !== undefined) return v2;
  // A v2 leaf may carry no limit while the container's root does (cgroup namespaces show it as /).
  const v2root = await readV2(paths.root);
  if (v2root.milliCpu !== undefined || v2root.memoryBytes !== undefined) return v2root;
  return readV1(paths.root, membership ?? '');
}

async function readV2(dir: string): Promise<Partial<HostResources>> {
  const out: Partial<HostResources> = {};
  const cpuMax = (await readText(`${dir}/cpu.max`))?.trim().split(/\s+/);
  if (cpuMax && cpuMax[0] !== 'max' && cpuMax.length === 2) {
    const quota = Number(cpuMax[0]);
    const period = Number(cpuMax[1]);
    if (quota > 0 && period > 0) out.milliCpu = Math.floor((quota * 1000) / period);
  }
  const memoryMax = (await readText(`${dir}/memory.max`))?.trim();
  if (memoryMax && memoryMax !== 'max' && Number(memoryMax) > 0) out.memoryBytes = Number(memoryMax);
  return out;
}

/** v1: `cpu.cfs_quota_us` / `cpu.cfs_period_us` and `memory.limit_in_bytes` of the agent's groups. */
async function readV1(root: string, membership: string): Promise<Partial<HostResources>> {
  const groupOf = (controller: string) => new RegExp(`^\\d+:[^:]*\\b${controller}\\b[^:]*:(.*)$`, 'm').exec(membership)?.[1]?.trim() ?? '/';
  const out: Partial<HostResources> = {};
  const cpuDir = `${root}/cpu${groupOf('cpu') === '/' ? '' : groupOf('cpu')}`;
  const quota = Number((await readText(`${cpuDir}/cpu.cfs_quota_us`))?.trim());
  const period = Number((await readText(`${cpuDir}/cpu.cfs_period_us`))?.trim());
  if (quota > 0 && period > 0) out.milliCpu = Math.floor((quota * 1000) / period);
  const memDir = `${root}/memory${groupOf('memory') === '/' ? '' : groupOf('memory')}`;
  const limit = Number((await readText(`${memDir}/memory.limit_in_bytes`))?.trim());
  // v1 reports "no limit" as a huge page-aligned number; anything beyond the host is no limit.
  if (limit > 0 && limit < totalmem()) out.memoryBytes = limit;
  return out;
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}
