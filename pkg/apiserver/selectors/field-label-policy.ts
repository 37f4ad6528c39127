import { apiErrors } from '../api/errors.ts';
import { FieldSelector } from './field-selector.ts';

/**
 * Which field selectors a resource accepts, and how it words a rejection. kube-apiserver has two
 * spellings, depending on whether the kind registered its own field-label conversion:
 *  - kinds without one (configmaps, leases, deployments, ...) use runtime.DefaultMetaV1FieldSelectorConversion:
 *      "spec.foo" is not a known field selector: only "metadata.name", "metadata.namespace"
 *  - pods, nodes, namespaces, secrets, services, events, and every custom resource:
 *      field label not supported: spec.foo
 * Both are 400 BadRequest.
 */
export interface FieldLabelPolicy {
  readonly supported: ReadonlySet<string>;
  readonly style: 'default' | 'kind-specific';
  /** Legacy names rewritten before matching (pods: spec.host → spec.nodeName). */
  readonly aliases?: Readonly<Record<string, string>>;
}

/** Kinds with no conversion of their own: metadata.name and metadata.namespace only. */
export function defaultFieldLabelPolicy(): FieldLabelPolicy {
  return { supported: new Set(['metadata.name', 'metadata.namespace']), style: 'default' };
}

/** Custom resources: metadata.name, metadata.namespace unless cluster-scoped, plus spec.selectableFields. */
export function customResourceFieldLabelPolicy(clusterScoped: boolean, selectableFields: readonly string[] = []): FieldLabelPolicy {
  const supported = new Set(['metadata.name', ...selectableFields]);
  if (!clusterScoped) supported.add('metadata.namespace');
  return { supported, style: 'kind-specific' };
}

/** A built-in kind that registers its own conversion (pkg/apis/core/v1/conversion.go). */
export function kindFieldLabelPolicy(fields: readonly string[], aliases?: Record<string, string>): FieldLabelPolicy {
  return { supported: new Set(fields), style: 'kind-specific', aliases };
}

/** The field labels kube-apiserver's core/v1 conversions accept, keyed by resource. */
export const coreFieldLabels: Readonly<Record<string, FieldLabelPolicy>> = {
  pods: kindFieldLabelPolicy(
    [
      'metadata.name',
      'metadata.namespace',
      'spec.nodeName',
      'spec.restartPolicy',
      'spec.schedulerName',
      'spec.serviceAccountName',
      'spec.hostNetwork',
      'status.phase',
      'status.podIP',
      'status.podIPs',
      'status.nominatedNodeName',
    ],
    { 'spec.host': 'spec.nodeName' },
  ),
  nodes: kindFieldLabelPolicy(['metadata.name', 'spec.unschedulable']),
  namespaces: kindFieldLabelPolicy(['metadata.name', 'status.phase']),
  secrets: kindFieldLabelPolicy(['metadata.name', 'metadata.namespace', 'type']),
  services: kindFieldLabelPolicy(['metadata.name', 'metadata.namespace', 'spec.clusterIP', 'spec.type']),
  events: kindFieldLabelPolicy([
    'metadata.name',
    'metadata.namespace',
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ]),
};

/**
 * Checks every field in `selector` against `policy` (the Transform step of the list/watch handler)
 * and returns the selector with aliases applied. Throws 400 BadRequest for the first unsupported field.
 */
export function applyFieldLabelPolicy(selector: FieldSelector, policy: FieldLabelPolicy): FieldSelector {
  const rewritten = selector.requirements.map((r) => {
    const field = policy.aliases?.[r.field] ?? r.field;
    if (!policy.supported.has(field) && !policy.supported.has(r.field)) {
      throw apiErrors.badRequest(
        policy.style === 'default'
          ? `${JSON.stringify(r.field)} is not a known field selector: only "metadata.name", "metadata.namespace"`
          : `field label not supported: ${r.field}`,
      );
    }
    return { ...r, field };
  });
  return new FieldSelector(rewritten);
}
