/** apps/v1 deployments: SetDefaults_Deployment, template defaults, and ValidateDeployment (subset). */
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../api/object.ts';
import type { ResourceStrategy } from '../../api/resource-type.ts';
import {
  ensureObject,
  FieldError,
  fieldErrors,
  objectAt,
  selectorMatches,
  setDefault,
  validateEnum,
  validateLabelSelector,
  validateNonnegative,
  type Obj,
} from '../validation/fields.ts';
import { applyPodSpecDefaults } from './pod-defaults.ts';
import { validatePodSpec } from './pod-spec-validation.ts';

export function applyDeploymentDefaults(deployment: Obj): void {
  const spec = ensureObject(deployment, 'spec');
  setDefault(spec, 'replicas', 1);
  const strategy = ensureObject(spec, 'strategy');
  setDefault(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const rollingUpdate = ensureObject(strategy, 'rollingUpdate');
    setDefault(rollingUpdate, 'maxUnavailable', '25%');
    setDefault(rollingUpdate, 'maxSurge', '25%');
  }
  setDefault(spec, 'revisionHistoryLimit', 10);
  setDefault(spec, 'progressDeadlineSeconds', 600);
  const template = ensureObject(spec, 'template');
  applyPodSpecDefaults(ensureObject(template, 'spec'));
}

/** Percentages like "25%" or non-negative integers. */
function validateIntOrPercent(path: string, value: unknown): FieldError[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'number') return validateNonnegative(path, value);
  if (typeof value === 'string') {
    const m = /^(\d+)%$/.exec(value);
    if (!m) return [fieldErrors.invalid(path, value, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')")];
    if (Number(m[1]) > 100) return [fieldErrors.invalid(path, value, 'must not be greater than 100%')];
  }
  return [];
}

function isZero(v: unknown): boolean {
  return v === 0 || v === '0%';
}

function validateDeployment(deployment: KubeObject): FieldError[] {
  const spec = objectAt(deployment, 'spec') ?? {};
  const errs: FieldError[] = [];
  errs.push(...validateNonnegative('spec.replicas', spec.replicas));
  errs.push(...validateNonnegative('spec.revisionHistoryLimit', spec.revisionHistoryLimit));
  const selector = objectAt(spec, 'selector');
  const template = objectAt(spec, 'template');
  const templateLabels = (objectAt(objectAt(template, 'metadata'), 'labels') ?? {}) as Record<string, string>;
  if (!selector) {
    errs.push(fieldErrors.required('spec.selector'));
  } else {
    errs.push(...validateLabelSelector('spec.selector', selector));
    const empty = Object.keys(objectAt(selector, 'matchLabels') ?? {}).length === 0 && !(Array.isArray(selector.matchExpressions) && selector.matchExpressions.length);
    if (empty) errs.push(fieldErrors.invalid('spec.selector', selector, 'empty selector is invalid for deployment'));
    else if (!selectorMatches(selector, templateLabels)) {
      errs.push(fieldErrors.invalid('spec.template.metadata.labels', templateLabels, '`selector` does not match template `labels`'));
    }
  }
  const templateSpec = objectAt(template, 'spec');
  errs.push(...validatePodSpec(templateSpec, 'spec.template.spec'));
  if (templateSpec?.restartPolicy && templateSpec.restartPolicy !== 'Always') {
    errs.push(fieldErrors.notSupported('spec.template.spec.restartPolicy', templateSpec.restartPolicy, ['Always']));
  }
  const strategy = objectAt(spec, 'strategy') ?? {};
  errs.push(...validateEnum('spec.strategy.type', strategy.type, ['Recreate', 'RollingUpdate']));
  const rollingUpdate = objectAt(strategy, 'rollingUpdate');
  if (strategy.type === 'Recreate' && rollingUpdate) {
    errs.push(fieldErrors.forbidden('spec.strategy.rollingUpdate', 'may not be specified when strategy `type` is \'Recreate\''));
  }
  if (rollingUpdate) {
    errs.push(...validateIntOrPercent('spec.strategy.rollingUpdate.maxUnavailable', rollingUpdate.maxUnavailable));
    errs.push(...validateIntOrPercent('spec.strategy.rollingUpdate.maxSurge', rollingUpdate.maxSurge));
    if (isZero(rollingUpdate.maxUnavailable) && isZero(rollingUpdate.maxSurge)) {
      errs.push(fieldErrors.invalid('spec.strategy.rollingUpdate.maxUnavailable', rollingUpdate.maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
    }
  }
  if (typeof spec.progressDeadlineSeconds === 'number' && typeof spec.minReadySeconds === 'number' && spec.progressDeadlineSeconds <= spec.minReadySeconds) {
    errs.push(fieldErrors.invalid('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
  }
  return errs;
}

export const deploymentStrategy: ResourceStrategy = {
  applyDefaults: applyDeploymentDefaults,
  validate: validateDeployment,
  validateUpdate(deployment: KubeObject, old: KubeObject): FieldError[] {
    const errs = validateDeployment(deployment);
    const selector = objectAt(objectAt(deployment, 'spec'), 'selector');
    const oldSelector = objectAt(objectAt(old, 'spec'), 'selector');
    // apps/v1 made the selector immutable.
    if (!isDeepStrictEqual(selector, oldSelector)) errs.push(fieldErrors.invalid('spec.selector', selector, 'field is immutable'));
    return errs;
  },
};
