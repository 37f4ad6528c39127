import { apiErrors } from '../api/errors.ts';
import { isPlainObject, type KubeObject } from '../api/object.ts';
import type { ResourceType } from '../api/resource-type.ts';
import { applyPatchDocument, type PatchType } from '../registry/patch-document.ts';
import type { RestStorage, WriteResult } from '../registry/rest-storage.ts';
import type { WriteOptions } from '../registry/write-options.ts';
import { fromLabelSelector, type LabelSelectorSpec } from '../selectors/label-selector.ts';

/**
 * deployments/<name>/scale: the autoscaling/v1 Scale view of a workload's replica count, which
 * `kubectl scale` and autoscalers use. Reading builds the Scale from the deployment; writing
 * changes spec.replicas through the main resource (so validation, generation and watches behave
 * as for any spec change), honouring the Scale's resourceVersion as a precondition.
 */
export function getScale(rest: RestStorage, rt: ResourceType, namespace: string, name: string): string {
  return JSON.stringify(scaleOf(JSON.parse(rest.get(rt, namespace, name).value) as KubeObject));
}

export function updateScale(rest: RestStorage, rt: ResourceType, namespace: string, name: string, body: unknown, opts: WriteOptions): WriteResult {
  if (!isPlainObject(body)) throw apiErrors.badRequest('the body of a scale update must be a Scale object');
  const spec = body['spec'];
  const replicas = isPlainObject(spec) ? spec['replicas'] : undefined;
  if (replicas !== undefined && (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0)) {
    throw apiErrors.invalid({ group: 'autoscaling', resource: 'scales', kind: 'Scale' }, name, []);
  }
  const meta = isPlainObject(body['metadata']) ? body['metadata'] : {};
  const patch = { metadata: { resourceVersion: meta['resourceVersion'] ?? null }, spec: { replicas: replicas ?? 0 } };
  const written = rest.patch(rt, namespace, name, '', 'merge', patch, { ...opts, force: false });
  return { code: 200, body: JSON.stringify(scaleOf(JSON.parse(written.body) as KubeObject)) };
}

export function patchScale(rest: RestStorage, rt: ResourceType, namespace: string, name: string, type: PatchType, patch: unknown, opts: WriteOptions): WriteResult {
  if (type === 'apply') throw apiErrors.unsupportedMediaType('application/apply-patch+yaml');
  const current = scaleOf(JSON.parse(rest.get(rt, namespace, name).value) as KubeObject);
  // The Scale kind has no merge keys: strategic merge behaves like a merge patch on it.
  const patched = applyPatchDocument(scaleType, type === 'strategic' ? 'merge' : type, current, patch);
  return updateScale(rest, rt, namespace, name, patched, opts);
}

function scaleOf(deployment: KubeObject): KubeObject {
  const spec = (deployment['spec'] ?? {}) as { replicas?: number; selector?: LabelSelectorSpec };
  const status = (deployment['status'] ?? {}) as { replicas?: number };
  const { name, namespace, uid, resourceVersion, creationTimestamp } = deployment.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name, namespace, uid, resourceVersion, creationTimestamp },
    spec: { replicas: spec.replicas ?? 0 },
    status: { replicas: status.replicas ?? 0, selector: fromLabelSelector(spec.selector).toString() },
  };
}

/** How a Scale document is patched: no schema, no merge keys. */
const scaleType = { strategicMergePatch: false, schema: {} };
