/**
 * Summarises a V8 .cpuprofile (as written by `node --cpu-prof`, e.g. `bench:apiserver --cpu-prof`):
 * top functions by self time and by inclusive time, as % of sampled time.
 *
 *   node bench/apiserver/cpuprofile-summary.ts FILE.cpuprofile [--top 30] [--exclude-idle]
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '30' }, 'exclude-idle': { type: 'boolean', default: false } },
});
const file = positionals[0];
if (!file) throw new Error('usage: cpuprofile-summary.ts FILE.cpuprofile [--top N] [--exclude-idle]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const top = Number(values.top);

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const label = (n: ProfileNode) => {
  const { functionName, url, lineNumber } = n.callFrame;
  const where = url ? `${url.startsWith('file://') ? relative(process.cwd(), new URL(url).pathname) : url}:${lineNumber + 1}` : '';
  return `${functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
};

const selfUs = new Map<string, number>();
const totalUs = new Map<string, number>();
let sampledUs = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  const leaf = byId.get(id)!;
  if (values['exclude-idle'] && leaf.callFrame.functionName === '(idle)') return;
  sampledUs += dt;
  selfUs.set(label(leaf), (selfUs.get(label(leaf)) ?? 0) + dt);
  // Inclusive: every distinct function on the stack once (recursion counted once).
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const l = label(byId.get(cur)!);
    if (seen.has(l)) continue;
    seen.add(l);
    totalUs.set(l, (totalUs.get(l) ?? 0) + dt);
  }
});

const print = (title: string, m: Map<string, number>) => {
  console.log(`\n${title} (of ${(sampledUs / 1000).toFixed(0)} ms sampled${values['exclude-idle'] ? ', idle excluded' : ''})`);
  for (const [l, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${((us / sampledUs) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${l}`);
  }
};
print('self time', selfUs);
print('inclusive time', totalUs);
