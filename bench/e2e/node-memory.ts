/**
 * Samples the RSS of each Kuscia node's process tree every `intervalMs`: the whole tree, the root
 * (`kuscia start`) alone, its descendants together (their count too), and each member by label
 * (for a master: apiserver, controllers, scheduler). Sums of RSS count pages shared between
 * processes (Node's own binary, mostly) once per process, as `ps` does.
 */
import { readTree } from './process-tree.ts';

export interface Series {
  peakMiB: number;
  lastMiB: number;
}

export interface TreeMemory {
  tree: Series;
  root: Series;
  descendants: Series;
  /** Most descendants alive at one sample, and at the last one. */
  peakDescendantCount: number;
  lastDescendantCount: number;
  /** Per member label, the sum over the members with that label. */
  byLabel: Map<string, Series>;
}

export interface NodeMemorySampler {
  /** The latest sample, per node. */
  current(): Map<string, TreeMemory>;
  /** Takes a last sample and stops. */
  stop(): Map<string, TreeMemory>;
}

const fresh = (): Series => ({ peakMiB: 0, lastMiB: 0 });
const record = (s: Series, mib: number) => {
  s.lastMiB = mib;
  s.peakMiB = Math.max(s.peakMiB, mib);
};

export function sampleNodeMemory(nodes: ReadonlyArray<{ name: string; pid: number }>, intervalMs: number): NodeMemorySampler {
  const memory = new Map<string, TreeMemory>(
    nodes.map((n) => [n.name, { tree: fresh(), root: fresh(), descendants: fresh(), peakDescendantCount: 0, lastDescendantCount: 0, byLabel: new Map() }]),
  );
  const take = () => {
    for (const node of nodes) {
      const members = readTree(node.pid);
      const root = members.find((m) => m.pid === node.pid);
      // The node's process is gone (it crashed): keep what was seen; the run reports the failure.
      if (!root) continue;
      const m = memory.get(node.name)!;
      const rest = members.filter((x) => x !== root);
      const sum = (list: typeof members) => list.reduce((acc, x) => acc + x.rssMiB, 0);
      record(m.tree, sum(members));
      record(m.root, root.rssMiB);
      record(m.descendants, sum(rest));
      m.lastDescendantCount = rest.length;
      m.peakDescendantCount = Math.max(m.peakDescendantCount, rest.length);
      const byLabel = new Map<string, number>();
      for (const x of rest) byLabel.set(x.label, (byLabel.get(x.label) ?? 0) + x.rssMiB);
      for (const series of m.byLabel.values()) series.lastMiB = 0;
      for (const [label, mib] of byLabel) {
        const s = m.byLabel.get(label) ?? fresh();
        m.byLabel.set(label, s);
        record(s, mib);
      }
    }
  };
  take();
  const timer = setInterval(take, intervalMs);
  return {
    current: () => memory,
    stop() {
      clearInterval(timer);
      take();
      return memory;
    },
  };
}
