/** rbac.authorization.k8s.io/v1: policy rules, role references and subjects (ValidatePolicyRule & co). */
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../api/object.ts';
import type { ResourceStrategy } from '../../api/resource-type.ts';
import { arrayAt, FieldError, fieldErrors, objectAt, objectsAt, validateEnum, type Obj } from '../validation/fields.ts';

export const rbacGroup = 'rbac.authorization.k8s.io';

function nonEmpty(obj: Obj, key: string): boolean {
  return (arrayAt(obj, key) ?? []).length > 0;
}

export function validatePolicyRule(rule: Obj, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!nonEmpty(rule, 'verbs')) errs.push(fieldErrors.required(`${path}.verbs`, 'verbs must contain at least one value'));
  if (nonEmpty(rule, 'nonResourceURLs')) {
    if (namespaced) errs.push(fieldErrors.invalid(`${path}.nonResourceURLs`, rule.nonResourceURLs, 'namespaced rules cannot apply to non-resource URLs'));
    if (nonEmpty(rule, 'apiGroups') || nonEmpty(rule, 'resources') || nonEmpty(rule, 'resourceNames')) {
      errs.push(fieldErrors.invalid(`${path}.nonResourceURLs`, rule.nonResourceURLs, 'rules cannot apply to both regular resources and non-resource URLs'));
    }
    return errs;
  }
  if (!nonEmpty(rule, 'apiGroups')) errs.push(fieldErrors.required(`${path}.apiGroups`, 'resource rules must supply at least one api group'));
  if (!nonEmpty(rule, 'resources')) errs.push(fieldErrors.required(`${path}.resources`, 'resource rules must supply at least one resource'));
  return errs;
}

function rulesValidator(namespaced: boolean) {
  return (role: KubeObject): FieldError[] => objectsAt(role, 'rules').flatMap((rule, i) => validatePolicyRule(rule, namespaced, `rules[${i}]`));
}

/** SetDefaults_Subject: User and Group subjects live in the RBAC API group, ServiceAccounts in core. */
function applySubjectDefaults(binding: KubeObject): void {
  for (const subject of objectsAt(binding, 'subjects')) {
    if (subject.apiGroup === undefined || subject.apiGroup === '') {
      if (subject.kind === 'User' || subject.kind === 'Group') subject.apiGroup = rbacGroup;
      else if (subject.kind === 'ServiceAccount') subject.apiGroup = '';
    }
  }
}

function bindingValidator(namespaced: boolean) {
  return (binding: KubeObject): FieldError[] => {
    const errs: FieldError[] = [];
    const roleRef = objectAt(binding, 'roleRef') ?? {};
    if (roleRef.apiGroup !== rbacGroup) errs.push(fieldErrors.notSupported('roleRef.apiGroup', roleRef.apiGroup ?? '', [rbacGroup]));
    if (!roleRef.kind) errs.push(fieldErrors.required('roleRef.kind'));
    else errs.push(...validateEnum('roleRef.kind', roleRef.kind, namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole']));
    if (!roleRef.name) errs.push(fieldErrors.required('roleRef.name'));
    objectsAt(binding, 'subjects').forEach((subject, i) => {
      const p = `subjects[${i}]`;
      if (!subject.name) errs.push(fieldErrors.required(`${p}.name`));
      switch (subject.kind) {
        case 'ServiceAccount':
          if (subject.apiGroup) errs.push(fieldErrors.notSupported(`${p}.apiGroup`, subject.apiGroup, ['']));
          if (!namespaced && !subject.namespace) errs.push(fieldErrors.required(`${p}.namespace`));
          break;
        case 'User':
        case 'Group':
          if (subject.apiGroup !== rbacGroup) errs.push(fieldErrors.notSupported(`${p}.apiGroup`, subject.apiGroup, [rbacGroup]));
          break;
        default:
          errs.push(fieldErrors.notSupported(`${p}.kind`, subject.kind, ['ServiceAccount', 'User', 'Group']));
      }
    });
    return errs;
  };
}

function withImmutableRoleRef(validate: (b: KubeObject) => FieldError[]) {
  return (binding: KubeObject, old: KubeObject): FieldError[] => {
    const errs = validate(binding);
    if (!isDeepStrictEqual(binding.roleRef, old.roleRef)) errs.push(fieldErrors.invalid('roleRef', binding.roleRef, 'cannot change roleRef'));
    return errs;
  };
}

export const roleStrategy: ResourceStrategy = { validate: rulesValidator(true), validateUpdate: rulesValidator(true) };
export const clusterRoleStrategy: ResourceStrategy = { validate: rulesValidator(false), validateUpdate: rulesValidator(false) };
export const roleBindingStrategy: ResourceStrategy = {
  applyDefaults: applySubjectDefaults,
  validate: bindingValidator(true),
  validateUpdate: withImmutableRoleRef(bindingValidator(true)),
};
export const clusterRoleBindingStrategy: ResourceStrategy = {
  applyDefaults: applySubjectDefaults,
  validate: bindingValidator(false),
  validateUpdate: withImmutableRoleRef(bindingValidator(false)),
};
