import type { KubeObject } from '../api/object.ts';
import type { ResourceType } from '../api/resource-type.ts';
import {
  applyFieldLabelPolicy,
  coreFieldLabels,
  customResourceFieldLabelPolicy,
  defaultFieldLabelPolicy,
  kindFieldLabelPolicy,
  type FieldLabelPolicy,
} from '../selectors/field-label-policy.ts';
import { parseFieldSelector } from '../selectors/field-selector.ts';
import { parseLabelSelector } from '../selectors/label-selector.ts';

/**
 * labelSelector + fieldSelector of one list or watch request, compiled once and applied to every
 * object. `everything` lets the hot paths skip parsing stored JSON when nothing is selected.
 */
export interface Selection {
  everything: boolean;
  matches(obj: KubeObject): boolean;
}

export function compileSelection(rt: ResourceType, labelSelector: string | null, fieldSelector: string | null): Selection {
  const labels = labelSelector ? parseLabelSelector(labelSelector) : undefined;
  const fields = fieldSelector ? applyFieldLabelPolicy(parseFieldSelector(fieldSelector), fieldLabelPolicy(rt)) : undefined;
  const noLabels = !labels || labels.empty;
  const noFields = !fields || fields.empty;
  if (noLabels && noFields) return { everything: true, matches: () => true };
  return {
    everything: false,
    matches(obj: KubeObject): boolean {
      if (labels && !labels.matches(obj.metadata.labels ?? {})) return false;
      if (fields && !fields.matches((field) => fieldValue(rt, obj, field))) return false;
      return true;
    },
  };
}

function fieldValue(rt: ResourceType, obj: KubeObject, field: string): string | undefined {
  if (field === 'metadata.name') return obj.metadata.name ?? '';
  if (field === 'metadata.namespace') return obj.metadata.namespace ?? '';
  return rt.fieldSelectors[field]?.(obj) ?? '';
}

/** Which field selectors a resource accepts, and the wording kube-apiserver uses to refuse others. */
function fieldLabelPolicy(rt: ResourceType): FieldLabelPolicy {
  if (rt.prunesUnknownFields) return customResourceFieldLabelPolicy(!rt.namespaced);
  if (rt.group === '' && coreFieldLabels[rt.resource]) return coreFieldLabels[rt.resource];
  const extra = Object.keys(rt.fieldSelectors);
  if (extra.length === 0) return defaultFieldLabelPolicy();
  return kindFieldLabelPolicy(['metadata.name', ...(rt.namespaced ? ['metadata.namespace'] : []), ...extra]);
}
