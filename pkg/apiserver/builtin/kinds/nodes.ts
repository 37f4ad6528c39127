/** core/v1 nodes: allocatable defaults to capacity; taint validation. */
import type { KubeObject } from '../../api/object.ts';
import type { ResourceStrategy } from '../../api/resource-type.ts';
import { isQualifiedName, isValidLabelValue } from '../validation/names.ts';
import { FieldError, fieldErrors, objectAt, objectsAt, validateEnum, validateFormat } from '../validation/fields.ts';

const taintEffects = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

function validateNode(node: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  objectsAt(objectAt(node, 'spec'), 'taints').forEach((taint, i) => {
    const p = `spec.taints[${i}]`;
    if (typeof taint.key !== 'string' || !taint.key) errs.push(fieldErrors.required(`${p}.key`));
    else errs.push(...validateFormat(`${p}.key`, taint.key, isQualifiedName));
    if (typeof taint.value === 'string') errs.push(...validateFormat(`${p}.value`, taint.value, isValidLabelValue));
    if (!taint.effect) errs.push(fieldErrors.required(`${p}.effect`));
    else errs.push(...validateEnum(`${p}.effect`, taint.effect, taintEffects));
    const id = `${String(taint.key)}:${String(taint.effect)}`;
    if (seen.has(id)) errs.push(fieldErrors.duplicate(p, { key: taint.key, effect: taint.effect }));
    seen.add(id);
  });
  return errs;
}

export const nodeStrategy: ResourceStrategy = {
  applyDefaults(node: KubeObject): void {
    const status = objectAt(node, 'status');
    if (status && status.capacity && !status.allocatable) status.allocatable = structuredClone(status.capacity);
  },
  validate: validateNode,
  validateUpdate: validateNode,
};
