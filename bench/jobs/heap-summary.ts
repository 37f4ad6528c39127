/**
 * What a V8 heap snapshot (the .heapsnapshot JSON that --heapsnapshot-signal writes) holds, as text:
 *
 *   node --max-old-space-size=4096 bench/jobs/heap-summary.ts A.heapsnapshot [B.heapsnapshot] [--top 40]
 *
 * For one snapshot: total live heap, self size and count per group (constructor name for objects,
 * node type for strings, arrays, code...), the biggest groups broken down by the path that retains
 * them (the shortest path from the GC roots, indices and map keys generalised), and the biggest
 * objects by retained size (dominator tree). With a second snapshot: the groups that grew from A
 * to B, which is how growth per job is told from constant cost (a warm-up snapshot vs the end, or
 * --jobs 250 vs --jobs 1000).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface RawSnapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] }; node_count: number };
  nodes: number[];
  edges: number[];
  strings: string[];
}

/** A snapshot in flat typed arrays: node i's fields, its outgoing edges, and retained sizes. */
interface Heap {
  count: number;
  type: Uint8Array;
  name: Uint32Array;
  selfSize: Float64Array;
  firstEdge: Uint32Array;
  edgeType: Uint8Array;
  edgeName: Uint32Array;
  edgeTo: Uint32Array;
  nodeTypes: string[];
  edgeTypes: string[];
  strings: string[];
}

function load(path: string): Heap {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as RawSnapshot;
  const m = raw.snapshot.meta;
  const nf = m.node_fields.length;
  const ef = m.edge_fields.length;
  const [nType, nName, nSize, nEdges] = ['type', 'name', 'self_size', 'edge_count'].map((f) => m.node_fields.indexOf(f)) as [number, number, number, number];
  const [eType, eName, eTo] = ['type', 'name_or_index', 'to_node'].map((f) => m.edge_fields.indexOf(f)) as [number, number, number];
  const count = raw.nodes.length / nf;
  const heap: Heap = {
    count,
    type: new Uint8Array(count),
    name: new Uint32Array(count),
    selfSize: new Float64Array(count),
    firstEdge: new Uint32Array(count + 1),
    edgeType: new Uint8Array(raw.edges.length / ef),
    edgeName: new Uint32Array(raw.edges.length / ef),
    edgeTo: new Uint32Array(raw.edges.length / ef),
    nodeTypes: m.node_types[0],
    edgeTypes: m.edge_types[0],
    strings: raw.strings,
  };
  let edge = 0;
  for (let i = 0; i < count; i++) {
    heap.type[i] = raw.nodes[i * nf + nType]!;
    heap.name[i] = raw.nodes[i * nf + nName]!;
    heap.selfSize[i] = raw.nodes[i * nf + nSize]!;
    heap.firstEdge[i] = edge;
    edge += raw.nodes[i * nf + nEdges]!;
  }
  heap.firstEdge[count] = edge;
  for (let e = 0; e < edge; e++) {
    heap.edgeType[e] = raw.edges[e * ef + eType]!;
    heap.edgeName[e] = raw.edges[e * ef + eName]!;
    heap.edgeTo[e] = raw.edges[e * ef + eTo]! / nf;
  }
  return heap;
}

const nodeType = (h: Heap, i: number) => h.nodeTypes[h.type[i]!]!;
const short = (s: string, n = 60) => (s.length > n ? `${s.slice(0, n)}…` : s);

/** The group a node is counted in: objects by constructor, the rest by node type (strings by content would not aggregate). */
function groupOf(h: Heap, i: number): string {
  const t = nodeType(h, i);
  const name = h.strings[h.name[i]!]!;
  if (t === 'object' || t === 'closure' || t === 'native' || t === 'hidden' || t === 'synthetic') return t === 'object' ? short(name) : `(${t}) ${short(name, 40)}`;
  if (t === 'array') return `(array) ${short(name, 40)}`;
  if (t === 'code') return '(code)';
  return `(${t})`;
}

/** The node reached from `i` by following named properties, if every hop exists. */
function follow(h: Heap, i: number, ...names: string[]): number | undefined {
  let cur = i;
  for (const name of names) {
    let next: number | undefined;
    for (let e = h.firstEdge[cur]!; e < h.firstEdge[cur + 1]!; e++) if (h.strings[h.edgeName[e]!] === name && h.edgeTypes[h.edgeType[e]!] === 'property') next = h.edgeTo[e]!;
    if (next === undefined) return undefined;
    cur = next;
  }
  return cur;
}

/** groupOf, plus what tells instances apart where it matters: the collection path of an informer. */
function labelOf(h: Heap, i: number): string {
  const g = groupOf(h, i);
  if (g !== 'SharedInformer') return g;
  const path = follow(h, i, 'reflector', 'opts', 'path');
  return path === undefined ? g : `SharedInformer(${stringOf(h, path)})`;
}

/** A string node's text; concatenated and sliced strings are put together from their parts. */
function stringOf(h: Heap, i: number): string {
  const t = nodeType(h, i);
  if (t === 'concatenated string') {
    const part = (name: string) => {
      for (let e = h.firstEdge[i]!; e < h.firstEdge[i + 1]!; e++) if (h.strings[h.edgeName[e]!] === name) return stringOf(h, h.edgeTo[e]!);
      return '';
    };
    return part('first') + part('second');
  }
  if (t === 'sliced string') {
    for (let e = h.firstEdge[i]!; e < h.firstEdge[i + 1]!; e++) if (h.strings[h.edgeName[e]!] === 'parent') return `${stringOf(h, h.edgeTo[e]!)}[…]`;
  }
  return h.strings[h.name[i]!]!;
}

function edgeLabel(h: Heap, e: number): string {
  const t = h.edgeTypes[h.edgeType[e]!]!;
  if (t === 'element' || t === 'hidden') return '[]';
  const name = h.strings[h.edgeName[e]!];
  if (t === 'internal' && name && /^\d+$/.test(name)) return '[]';
  return name === undefined ? `<${t}>` : short(name.replace(/\d{2,}/g, '#'), 40);
}

const isWeak = (h: Heap, e: number) => h.edgeTypes[h.edgeType[e]!] === 'weak';

/** Shortest retaining path from the root (node 0) by BFS over strong edges: parent node and edge of each node. */
function shortestPaths(h: Heap): { parent: Int32Array; parentEdge: Int32Array; order: Uint32Array; reached: number } {
  const parent = new Int32Array(h.count).fill(-1);
  const parentEdge = new Int32Array(h.count).fill(-1);
  const order = new Uint32Array(h.count);
  let head = 0;
  let tail = 0;
  order[tail++] = 0;
  parent[0] = 0;
  while (head < tail) {
    const n = order[head++]!;
    for (let e = h.firstEdge[n]!; e < h.firstEdge[n + 1]!; e++) {
      if (isWeak(h, e)) continue;
      const to = h.edgeTo[e]!;
      if (parent[to] !== -1) continue;
      parent[to] = n;
      parentEdge[to] = e;
      order[tail++] = to;
    }
  }
  return { parent, parentEdge, order, reached: tail };
}

/** Retained sizes through the dominator tree (Cooper, Harvey and Kennedy's iterative algorithm over a DFS postorder). */
function retainedSizes(h: Heap): Float64Array {
  // Postorder by iterative DFS from the root over strong edges.
  const post = new Int32Array(h.count).fill(-1);
  const byPost: number[] = [];
  const stack: number[] = [0];
  const nextEdge = new Uint32Array(h.count);
  const visited = new Uint8Array(h.count);
  visited[0] = 1;
  nextEdge[0] = h.firstEdge[0]!;
  while (stack.length) {
    const n = stack[stack.length - 1]!;
    let pushed = false;
    while (nextEdge[n]! < h.firstEdge[n + 1]!) {
      const e = nextEdge[n]!++;
      if (isWeak(h, e)) continue;
      const to = h.edgeTo[e]!;
      if (visited[to]) continue;
      visited[to] = 1;
      nextEdge[to] = h.firstEdge[to]!;
      stack.push(to);
      pushed = true;
      break;
    }
    if (!pushed) {
      stack.pop();
      post[n] = byPost.length;
      byPost.push(n);
    }
  }
  // Predecessors (strong edges among reachable nodes), CSR.
  const predCount = new Uint32Array(h.count + 1);
  for (let n = 0; n < h.count; n++) {
    if (!visited[n]) continue;
    for (let e = h.firstEdge[n]!; e < h.firstEdge[n + 1]!; e++) if (!isWeak(h, e) && visited[h.edgeTo[e]!]) predCount[h.edgeTo[e]! + 1]!++;
  }
  for (let i = 0; i < h.count; i++) predCount[i + 1]! += predCount[i]!;
  const preds = new Uint32Array(predCount[h.count]!);
  const fill = predCount.slice(0, h.count);
  for (let n = 0; n < h.count; n++) {
    if (!visited[n]) continue;
    for (let e = h.firstEdge[n]!; e < h.firstEdge[n + 1]!; e++) if (!isWeak(h, e) && visited[h.edgeTo[e]!]) preds[fill[h.edgeTo[e]!]!++] = n;
  }
  const idom = new Int32Array(h.count).fill(-1);
  idom[0] = 0;
  const intersect = (a: number, b: number) => {
    while (a !== b) {
      while (post[a]! < post[b]!) a = idom[a]!;
      while (post[b]! < post[a]!) b = idom[b]!;
    }
    return a;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (let k = byPost.length - 2; k >= 0; k--) {
      const n = byPost[k]!;
      let dom = -1;
      for (let p = predCount[n]!; p < predCount[n + 1]!; p++) {
        const pred = preds[p]!;
        if (idom[pred] === -1) continue;
        dom = dom === -1 ? pred : intersect(pred, dom);
      }
      if (dom !== -1 && idom[n] !== dom) {
        idom[n] = dom;
        changed = true;
      }
    }
  }
  const retained = Float64Array.from(h.selfSize);
  for (const n of byPost) if (n !== 0 && idom[n]! >= 0) retained[idom[n]!]! += retained[n]!;
  return retained;
}

/** The retaining path of a node as text: the last `depth` hops from the root, group names and edge labels. */
function pathOf(h: Heap, paths: ReturnType<typeof shortestPaths>, n: number, depth: number): string {
  const hops: string[] = [];
  let cur = n;
  for (let d = 0; d < depth && cur !== 0 && paths.parent[cur]! >= 0; d++) {
    const p = paths.parent[cur]!;
    hops.unshift(`${labelOf(h, p)}.${edgeLabel(h, paths.parentEdge[cur]!)}`);
    cur = p;
  }
  return hops.join(' → ');
}

interface Group {
  count: number;
  size: number;
}

function groups(h: Heap): Map<string, Group> {
  const out = new Map<string, Group>();
  for (let i = 0; i < h.count; i++) {
    const g = groupOf(h, i);
    const cur = out.get(g) ?? { count: 0, size: 0 };
    cur.count++;
    cur.size += h.selfSize[i]!;
    out.set(g, cur);
  }
  return out;
}

const MB = (n: number) => `${(n / 1e6).toFixed(1)} MB`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '40' }, depth: { type: 'string', default: '7' }, group: { type: 'string', multiple: true } },
});
const top = Number(values.top);
const depth = Number(values.depth);
if (positionals.length < 1) throw new Error('usage: heap-summary.ts A.heapsnapshot [B.heapsnapshot]');

if (positionals.length === 2) {
  const [a, b] = [groups(load(positionals[0]!)), groups(load(positionals[1]!))];
  const total = (g: Map<string, Group>) => [...g.values()].reduce((s, x) => s + x.size, 0);
  console.log(`live heap A ${MB(total(a))}, B ${MB(total(b))}; groups by growth of self size (B - A):`);
  const rows = [...new Set([...a.keys(), ...b.keys()])].map((k) => {
    const x = a.get(k) ?? { count: 0, size: 0 };
    const y = b.get(k) ?? { count: 0, size: 0 };
    return { k, dSize: y.size - x.size, dCount: y.count - x.count, x, y };
  });
  rows.sort((p, q) => q.dSize - p.dSize);
  for (const r of rows.slice(0, top)) console.log(`  ${MB(r.dSize).padStart(9)}  count ${r.x.count} -> ${r.y.count} (+${r.dCount})  ${r.k}`);
  process.exit(0);
}

const h = load(positionals[0]!);
const paths = shortestPaths(h);
const g = groups(h);
const total = [...g.values()].reduce((s, x) => s + x.size, 0);
console.log(`${h.count} nodes, ${h.firstEdge[h.count]} edges, live heap (sum of self sizes) ${MB(total)}, reachable ${paths.reached}`);
console.log(`\nby group (self size, count):`);
const sorted = [...g.entries()].sort((p, q) => q[1].size - p[1].size);
for (const [k, v] of sorted.slice(0, top)) console.log(`  ${MB(v.size).padStart(9)} ${String(v.count).padStart(8)}  ${k}`);

console.log(`\nbiggest groups by retaining path (last ${depth} hops of the shortest path from the roots):`);
// --group NAME (repeatable) breaks down those groups instead of the 12 biggest.
for (const k of values.group ?? sorted.slice(0, 12).map(([name]) => name)) {
  const byPath = new Map<string, Group>();
  for (let i = 0; i < h.count; i++) {
    if (groupOf(h, i) !== k) continue;
    const p = pathOf(h, paths, i, depth);
    const cur = byPath.get(p) ?? { count: 0, size: 0 };
    cur.count++;
    cur.size += h.selfSize[i]!;
    byPath.set(p, cur);
  }
  console.log(`  ${k}:`);
  for (const [p, v] of [...byPath.entries()].sort((x, y) => y[1].size - x[1].size).slice(0, 6)) console.log(`    ${MB(v.size).padStart(9)} ${String(v.count).padStart(8)}  ${p}`);
}

const retained = retainedSizes(h);
console.log(`\nbiggest retainers (retained size: objects, arrays and closures over 1 MB, Maps and Sets over 100 kB):`);
const candidates: number[] = [];
for (let i = 1; i < h.count; i++) {
  const t = nodeType(h, i);
  const collection = t === 'object' && /^(Map|Set)$/.test(h.strings[h.name[i]!]!);
  if ((t === 'object' || t === 'array' || t === 'closure') && (retained[i]! > 1e6 || (collection && retained[i]! > 1e5))) candidates.push(i);
}
candidates.sort((a, b) => retained[b]! - retained[a]!);
for (const i of candidates.slice(0, top)) console.log(`  ${MB(retained[i]!).padStart(9)}  ${labelOf(h, i)}  ← ${pathOf(h, paths, i, depth)}`);
