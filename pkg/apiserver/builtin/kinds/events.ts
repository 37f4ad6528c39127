/**
 * Events. core/v1 and events.k8s.io/v1 serve one set of objects (kube-apiserver stores the internal
 * Event, which is shaped like core/v1): the events.k8s.io/v1 resource type stores into core
 * `events` (storageGroup/storageResource) and converts with the two functions below.
 */
import type { KubeObject } from '../../api/object.ts';
import type { ResourceStrategy } from '../../api/resource-type.ts';
import { isDNS1123Subdomain, isQualifiedName } from '../validation/names.ts';
import { FieldError, fieldErrors, objectAt, validateEnum, validateFormat } from '../validation/fields.ts';

/** events.k8s.io/v1 field ⇄ core/v1 field, for the fields that were renamed. */
const renamedFields: Array<[string, string]> = [
  ['regarding', 'involvedObject'],
  ['note', 'message'],
  ['reportingController', 'reportingComponent'],
  ['deprecatedSource', 'source'],
  ['deprecatedFirstTimestamp', 'firstTimestamp'],
  ['deprecatedLastTimestamp', 'lastTimestamp'],
  ['deprecatedCount', 'count'],
];

function renameFields(obj: KubeObject, pairs: Array<[string, string]>, apiVersion: string): KubeObject {
  const out: KubeObject = { ...obj, apiVersion, kind: 'Event' };
  for (const [from, to] of pairs) {
    delete out[from];
    if (obj[from] !== undefined) out[to] = obj[from];
  }
  return out;
}

/** An events.k8s.io/v1 Event as stored (core/v1 shape). Shallow: nested objects are shared. */
export function eventsV1ToCoreEvent(event: KubeObject): KubeObject {
  return renameFields(event, renamedFields, 'v1');
}

/** A stored (core/v1) Event as events.k8s.io/v1 presents it. Shallow: nested objects are shared. */
export function coreEventToEventsV1(event: KubeObject): KubeObject {
  return renameFields(event, renamedFields.map(([a, b]) => [b, a]), 'events.k8s.io/v1');
}

/** legacyValidateEvent: the involved object must live in the event's namespace. */
function validateCoreEvent(event: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const involved = objectAt(event, 'involvedObject') ?? {};
  const involvedNs = typeof involved.namespace === 'string' ? involved.namespace : '';
  const ns = event.metadata.namespace ?? '';
  const mismatch = () => fieldErrors.invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace');
  if (!event.eventTime) {
    if (involvedNs === '' ? ns !== '' && ns !== 'default' : ns !== involvedNs) errs.push(mismatch());
  } else {
    if (involvedNs === '' && ns !== 'default' && ns !== 'kube-system') errs.push(mismatch());
    if (!event.reportingComponent) errs.push(fieldErrors.required('reportingComponent'));
    else errs.push(...validateFormat('reportingComponent', String(event.reportingComponent), isQualifiedName));
    if (!event.reportingInstance) errs.push(fieldErrors.required('reportingInstance'));
    if (!event.action) errs.push(fieldErrors.required('action'));
    if (!event.reason) errs.push(fieldErrors.required('reason'));
  }
  if (ns) for (const m of isDNS1123Subdomain(ns)) errs.push(fieldErrors.invalid('namespace', ns, m));
  return errs;
}

export const coreEventStrategy: ResourceStrategy = { validate: validateCoreEvent, validateUpdate: validateCoreEvent };

/** ValidateEventCreate for events.k8s.io/v1 requests: the new API's required fields. */
function validateEventsV1(event: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  if (!event.eventTime) errs.push(fieldErrors.required('eventTime'));
  if (!event.reportingController) errs.push(fieldErrors.required('reportingController'));
  else errs.push(...validateFormat('reportingController', String(event.reportingController), isQualifiedName));
  if (!event.reportingInstance) errs.push(fieldErrors.required('reportingInstance'));
  else if (String(event.reportingInstance).length > 128) errs.push(fieldErrors.invalid('reportingInstance', '', 'can have at most 128 characters'));
  if (!event.action) errs.push(fieldErrors.required('action'));
  else if (String(event.action).length > 128) errs.push(fieldErrors.invalid('action', '', 'can have at most 128 characters'));
  if (!event.reason) errs.push(fieldErrors.required('reason'));
  else if (String(event.reason).length > 128) errs.push(fieldErrors.invalid('reason', '', 'can have at most 128 characters'));
  if (typeof event.note === 'string' && event.note.length > 1024) errs.push(fieldErrors.invalid('note', '', 'can have at most 1024 characters'));
  if (!event.type) errs.push(fieldErrors.required('type'));
  else errs.push(...validateEnum('type', event.type, ['Normal', 'Warning']));
  const regardingNs = String(objectAt(event, 'regarding')?.namespace ?? '');
  const ns = event.metadata.namespace ?? '';
  if (regardingNs === '' ? ns !== 'default' && ns !== 'kube-system' : regardingNs !== ns) {
    errs.push(fieldErrors.invalid('regarding.namespace', regardingNs, 'does not match event.namespace'));
  }
  return errs;
}

export const eventsV1Strategy: ResourceStrategy = {
  validate: validateEventsV1,
  // Updates may come from objects first written through core/v1, which lack the new fields.
  validateUpdate: () => [],
};
