import { apiErrors } from '../api/errors.ts';
import { isPlainObject, type KubeObject } from '../api/object.ts';
import type { ResourceType } from '../api/resource-type.ts';
import { metaTime } from '../registry/meta-time.ts';
import type { RestStorage, WriteResult } from '../registry/rest-storage.ts';
import type { WriteOptions } from '../registry/write-options.ts';

/**
 * POST pods/<name>/binding: the scheduler's way of assigning a pod to a node. Like
 * kube-apiserver it sets spec.nodeName (which is otherwise immutable) and the PodScheduled
 * condition, and refuses to rebind a pod that already has a node.
 */
export function bindPod(rest: RestStorage, rt: ResourceType, namespace: string, name: string, body: unknown, opts: WriteOptions): WriteResult {
  if (!isPlainObject(body) || body['kind'] !== 'Binding') throw apiErrors.badRequest('the body of a pods/binding request must be a Binding');
  const target = body['target'];
  const nodeName = isPlainObject(target) ? target['name'] : undefined;
  if (typeof nodeName !== 'string' || nodeName === '') {
    throw apiErrors.invalid({ group: '', resource: 'bindings', kind: 'Binding' }, name, []);
  }
  rest.mutate(rt, namespace, name, opts.dryRun, (pod: KubeObject, now: Date) => {
    const spec = (pod['spec'] ??= {}) as Record<string, unknown>;
    if (spec['nodeName']) {
      throw apiErrors.conflict({ group: '', resource: 'pods/binding' }, name, `pod ${name} is already assigned to node ${JSON.stringify(spec['nodeName'])}`);
    }
    if (pod.metadata.deletionTimestamp) throw apiErrors.conflict({ group: '', resource: 'pods/binding' }, name, `pod ${name} is being deleted, cannot be assigned to a host`);
    spec['nodeName'] = nodeName;
    const status = (pod['status'] ??= {}) as Record<string, unknown>;
    const conditions = ((status['conditions'] as Record<string, unknown>[] | undefined) ?? []).filter((c) => c['type'] !== 'PodScheduled');
    conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: metaTime(now) });
    status['conditions'] = conditions;
  });
  return { code: 201, body: JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 }) };
}
