import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { KubeApi } from '../../kube/api-client.ts';
import { describeError } from '../../kube/api-errors.ts';
import type { ResourceRef } from '../../kube/client.ts';

interface ApiResourceList {
  resources?: Array<{ name: string }>;
}

/**
 * Resolves once discovery serves every resource in `refs` (Kuscia's controllers each wait for their
 * CRDs before starting, so the manager can start before `kubectl apply -f crds/`). Polls discovery
 * with a growing pause; rejects on timeout or abort with the resources still missing.
 */
export async function waitForResources(api: KubeApi, refs: ResourceRef[], options: { log: Logger; timeoutMs?: number; signal?: AbortSignal }): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? Number.POSITIVE_INFINITY);
  let pauseMs = 200;
  let reported = '';
  for (;;) {
    const missing = await missingResources(api, refs);
    if (missing.length === 0) return;
    const list = missing.join(', ');
    if (list !== reported) {
      options.log.info({ missing: list }, 'waiting for resources to be served (apply crds/ to continue)');
      reported = list;
    }
    if (Date.now() >= deadline) throw new Error(`timed out waiting for the API server to serve ${list}`);
    await sleep(pauseMs, undefined, { signal: options.signal });
    pauseMs = Math.min(pauseMs * 2, 5_000);
  }
}

async function missingResources(api: KubeApi, refs: ResourceRef[]): Promise<string[]> {
  const byGroupVersion = new Map<string, ResourceRef[]>();
  for (const ref of refs) {
    const gv = ref.group === '' ? `/api/${ref.version}` : `/apis/${ref.group}/${ref.version}`;
    byGroupVersion.set(gv, [...(byGroupVersion.get(gv) ?? []), ref]);
  }
  const missing: string[] = [];
  for (const [path, wanted] of byGroupVersion) {
    let served = new Set<string>();
    try {
      const list = await api.request<ApiResourceList>('GET', path);
      served = new Set((list.resources ?? []).map((r) => r.name));
    } catch (err) {
      // 404 until the first CRD of the group is established; other errors (server starting) alike.
      void describeError(err);
    }
    for (const ref of wanted) if (!served.has(ref.plural)) missing.push(ref.group ? `${ref.plural}.${ref.group}` : ref.plural);
  }
  return missing;
}
