/**
 * How many API requests of each kind a run made, from the API server's own
 * `apiserver_request_total` counter (kube-apiserver's name and labels), so a run can say how many
 * writes each bound pod cost and which ones.
 */
import { KubeRestClient, loadTlsIdentity } from '../apiserver/http-client.ts';

export type RequestCounts = Map<string, number>;

/** Counts by "VERB resource[/subresource]", summed over codes and scopes. */
export async function scrapeRequestCounts(server: string, kubeconfigPath: string): Promise<RequestCounts> {
  const client = new KubeRestClient(server, loadTlsIdentity(kubeconfigPath));
  try {
    const text = (await client.send('GET', '/metrics')).body.toString('utf8');
    const counts: RequestCounts = new Map();
    for (const line of text.split('\n')) {
      if (!line.startsWith('apiserver_request_total{')) continue;
      const labels = Object.fromEntries([...line.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
      const value = Number(line.slice(line.lastIndexOf(' ') + 1));
      const kind = `${labels['verb']} ${labels['resource']}${labels['subresource'] ? `/${labels['subresource']}` : ''}`;
      counts.set(kind, (counts.get(kind) ?? 0) + value);
    }
    return counts;
  } finally {
    client.close();
  }
}

const WRITE_VERBS = new Set(['POST', 'PUT', 'PATCH', 'DELETE', 'APPLY']);

/** "6.1 writes per pod: POST pods 1.00, PATCH pods 1.00, ..." (largest first; reads left out). */
export function describeWritesPerPod(after: RequestCounts, before: RequestCounts, pods: number): string {
  const writes = [...after]
    .map(([kind, n]) => [kind, n - (before.get(kind) ?? 0)] as const)
    .filter(([kind, n]) => n > 0 && WRITE_VERBS.has(kind.split(' ')[0]!))
    .sort((a, b) => b[1] - a[1]);
  const total = writes.reduce((sum, [, n]) => sum + n, 0);
  const parts = writes.map(([kind, n]) => `${kind} ${(n / pods).toFixed(2)}`);
  return `${(total / pods).toFixed(2)} (${parts.join(', ')})`;
}
