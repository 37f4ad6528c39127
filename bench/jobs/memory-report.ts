/**
 * Where a child process's RSS goes, for `bench:jobs --heap-snapshot`: the V8 figures the child reports
 * about itself (asked through its inspector: the child runs with --inspect=127.0.0.1:0) next to the
 * kernel's view of its mappings (/proc/<pid>/smaps: file-backed pages such as the node binary,
 * glibc's main malloc arena `[heap]`, other anonymous mappings, which hold V8's heap pages, thread
 * stacks and further malloc arenas).
 */
import { readFileSync } from 'node:fs';

/** The inspector's WebSocket URL as the child prints it on stderr. */
export function inspectorUrl(output: string): string | undefined {
  return /Debugger listening on (ws:\/\/\S+)/.exec(output)?.[1];
}

/** One inspector session: sends CDP commands, one at a time is enough for the bench. */
export async function openInspector(url: string): Promise<{ call(method: string, params?: object): Promise<unknown>; close(): void }> {
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    ws.addEventListener('open', () => resolve(), { once: true });
    ws.addEventListener('error', () => reject(new Error(`cannot connect to the inspector at ${url}`)), { once: true });
  });
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  ws.addEventListener('message', (ev) => {
    const msg = JSON.parse(String(ev.data)) as { id?: number; result?: unknown; error?: { message: string } };
    const p = msg.id === undefined ? undefined : pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id!);
    if (msg.error) p.reject(new Error(msg.error.message));
    else p.resolve(msg.result);
  });
  return {
    call: (method, params = {}) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        ws.send(JSON.stringify({ id, method, params }));
      }),
    close: () => ws.close(),
  };
}

interface V8Figures {
  memoryUsage: NodeJS.MemoryUsage;
  heap: { total_heap_size: number; used_heap_size: number; malloced_memory: number; external_memory: number; total_physical_size: number };
  spaces: Array<{ space_name: string; space_size: number; space_used_size: number; physical_space_size: number }>;
}

// Evaluated in the child: it has process but no require (ESM), hence getBuiltinModule.
const V8_FIGURES = `JSON.stringify({
  memoryUsage: process.memoryUsage(),
  heap: process.getBuiltinModule('v8').getHeapStatistics(),
  spaces: process.getBuiltinModule('v8').getHeapSpaceStatistics(),
})`;

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** RSS per kind of mapping from /proc/<pid>/smaps, bytes. */
function mappings(pid: number): { file: number; mallocHeap: number; otherAnon: number } {
  let kind: 'file' | 'mallocHeap' | 'otherAnon' = 'otherAnon';
  const out = { file: 0, mallocHeap: 0, otherAnon: 0 };
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const header = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (header) {
      const name = header[1]!;
      kind = name.startsWith('/') ? 'file' : name === '[heap]' ? 'mallocHeap' : 'otherAnon';
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) out[kind] += Number(rss[1]) * 1024;
  }
  return out;
}

/** A few lines: RSS by mapping kind, then V8's heap (used / committed per space), external and array buffers. */
export async function memoryReport(pid: number, inspector: { call(method: string, params?: object): Promise<unknown> }): Promise<string> {
  const maps = mappings(pid);
  const res = (await inspector.call('Runtime.evaluate', { expression: V8_FIGURES, returnByValue: true })) as { result: { value: string } };
  const v8 = JSON.parse(res.result.value) as V8Figures;
  const spaces = v8.spaces
    .filter((s) => s.physical_space_size > 1e6)
    .map((s) => `${s.space_name} ${mb(s.space_used_size)}/${mb(s.physical_space_size)}`)
    .join(', ');
  return [
    `RSS ${mb(v8.memoryUsage.rss)}: file-backed ${mb(maps.file)} (node binary, libraries), malloc [heap] ${mb(maps.mallocHeap)}, other anonymous ${mb(maps.otherAnon)}`,
    `V8 heap used ${mb(v8.heap.used_heap_size)} of ${mb(v8.heap.total_physical_size)} resident (${mb(v8.heap.total_heap_size)} reserved); per space used/resident: ${spaces}`,
    `external ${mb(v8.memoryUsage.external)} (array buffers ${mb(v8.memoryUsage.arrayBuffers)}), V8 malloced ${mb(v8.heap.malloced_memory)}`,
  ].join('\n    ');
}
