/**
 * The dependency graph of a job's tasks. Edges run from a dependency to the task that waits for
 * it (execution order), nodes are aliases.
 */
import { alg, Graph } from '@dagrejs/graphlib';
import type { KusciaTaskTemplate } from '../../crd/job.ts';

/** Assumes aliases are unique and every dependency names an existing alias (checked before). */
export function dependencyGraph(tasks: readonly KusciaTaskTemplate[]): Graph {
  const graph = new Graph({ directed: true });
  for (const task of tasks) graph.setNode(task.alias);
  for (const task of tasks) {
    for (const dependency of task.dependencies ?? []) graph.setEdge(dependency, task.alias);
  }
  return graph;
}

/**
 * One dependency cycle, as aliases in execution order with the first repeated at the end
 * (["a", "b", "a"]), or undefined when the tasks form a DAG. Deterministic: the cycle starts at the
 * earliest task (in spec order) that lies on any cycle and is a shortest one through it.
 */
export function findDependencyCycle(tasks: readonly KusciaTaskTemplate[]): string[] | undefined {
  const graph = dependencyGraph(tasks);
  const components = alg.findCycles(graph);
  if (components.length === 0) return undefined;
  const order = new Map(tasks.map((t, i) => [t.alias, i] as const));
  const byOrder = (a: string, b: string) => order.get(a)! - order.get(b)!;
  const onCycle = new Set(components.flat());
  const start = [...onCycle].sort(byOrder)[0]!;
  const component = new Set(components.find((c) => c.includes(start))!);

  // Breadth-first from start back to start within its strongly connected component.
  const parent = new Map<string, string>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head]!;
    for (const next of (graph.successors(node) ?? []).filter((s) => component.has(s)).sort(byOrder)) {
      if (next === start) {
        const path = [node];
        while (path[0] !== start) path.unshift(parent.get(path[0]!)!);
        return [...path, start];
      }
      if (!parent.has(next)) {
        parent.set(next, node);
        queue.push(next);
      }
    }
  }
  return undefined; // unreachable: a strongly connected component always closes a cycle
}
