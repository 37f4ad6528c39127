/**
 * Field selectors kube-apiserver supports per kind beyond metadata.name/metadata.namespace
 * (the `*ToSelectableFields` functions). Unset fields select as "" (the registry maps undefined to "").
 */
import type { KubeObject } from '../api/object.ts';
import { objectAt, type Obj } from './validation/fields.ts';

type Selectors = Record<string, (obj: KubeObject) => string | undefined>;

function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function at(obj: KubeObject, ...path: string[]): unknown {
  let cur: unknown = obj;
  for (const p of path) cur = (cur as Obj | undefined)?.[p];
  return cur;
}

const field = (...path: string[]) => (obj: KubeObject) => text(at(obj, ...path));

export const podFieldSelectors: Selectors = {
  'spec.nodeName': field('spec', 'nodeName'),
  'spec.restartPolicy': field('spec', 'restartPolicy'),
  'spec.schedulerName': field('spec', 'schedulerName'),
  'spec.serviceAccountName': field('spec', 'serviceAccountName'),
  'spec.hostNetwork': (pod) => String(at(pod, 'spec', 'hostNetwork') === true),
  'status.phase': field('status', 'phase'),
  // The primary pod IP: status.podIPs[0], falling back to the legacy singular field.
  'status.podIP': (pod) => text((at(pod, 'status', 'podIPs') as Obj[] | undefined)?.[0]?.ip) ?? text(at(pod, 'status', 'podIP')),
  'status.nominatedNodeName': field('status', 'nominatedNodeName'),
};

const involvedObjectFields = ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'];

export const coreEventFieldSelectors: Selectors = {
  ...Object.fromEntries(involvedObjectFields.map((f) => [`involvedObject.${f}`, field('involvedObject', f)])),
  reason: field('reason'),
  reportingComponent: field('reportingComponent'),
  source: field('source', 'component'),
  type: field('type'),
};

/**
 * events.k8s.io/v1 names the same selectable fields after its own field names; the accessors read
 * either shape so they work before or after conversion from storage.
 */
export const eventsV1FieldSelectors: Selectors = {
  ...Object.fromEntries(
    involvedObjectFields.map((f) => [`regarding.${f}`, (e: KubeObject) => text((objectAt(e, 'regarding') ?? objectAt(e, 'involvedObject'))?.[f])]),
  ),
  reason: field('reason'),
  reportingController: (e) => text(e.reportingController ?? e.reportingComponent),
  type: field('type'),
  deprecatedSource: (e) => text((objectAt(e, 'deprecatedSource') ?? objectAt(e, 'source'))?.component),
};

export const namespaceFieldSelectors: Selectors = { 'status.phase': field('status', 'phase') };
export const secretFieldSelectors: Selectors = { type: field('type') };
export const nodeFieldSelectors: Selectors = { 'spec.unschedulable': (node) => String(at(node, 'spec', 'unschedulable') === true) };
export const serviceFieldSelectors: Selectors = { 'spec.clusterIP': field('spec', 'clusterIP'), 'spec.type': field('spec', 'type') };
