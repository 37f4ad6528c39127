/**
 * apiextensions.k8s.io/v1 customresourcedefinitions: SetDefaults_CustomResourceDefinition and the
 * name/version rules of ValidateCustomResourceDefinition. Whether each version's openAPIV3Schema
 * is structural is checked by the injected `validateSchema` hook (pkg/apiserver/schema owns the
 * structural-schema rules); without one only the presence of a schema is required.
 */
import type { KubeObject } from '../../api/object.ts';
import type { ResourceStrategy } from '../../api/resource-type.ts';
import { isDNS1035Label, isDNS1123Subdomain } from '../validation/names.ts';
import { ensureObject, FieldError, fieldErrors, isPlainObject, objectAt, objectsAt, setDefault, validateEnum, validateFormat, validateImmutable, type Obj } from '../validation/fields.ts';

export interface CrdStrategyOptions {
  /** Structural-schema validation of one version's `schema.openAPIV3Schema` (path points at it). */
  validateSchema?: (schema: Obj, path: string) => FieldError[];
}

const kindFormat = /^[A-Za-z]([-A-Za-z0-9]*[A-Za-z0-9])?$/;
const kindFormatError = 'may have mixed case, but should otherwise match: [a-z]([-a-z0-9]*[a-z0-9])?';

export function applyCrdDefaults(crd: KubeObject): void {
  const spec = ensureObject(crd, 'spec');
  const names = ensureObject(spec, 'names');
  if (typeof names.kind === 'string' && names.kind) {
    setDefault(names, 'singular', names.kind.toLowerCase());
    setDefault(names, 'listKind', `${names.kind}List`);
  }
  if (!isPlainObject(spec.conversion)) spec.conversion = { strategy: 'None' };
}

function validateNames(names: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const plural = typeof names.plural === 'string' ? names.plural : '';
  if (!plural) errs.push(fieldErrors.required(`${path}.plural`));
  else errs.push(...validateFormat(`${path}.plural`, plural, isDNS1035Label));
  if (typeof names.singular === 'string' && names.singular) errs.push(...validateFormat(`${path}.singular`, names.singular, isDNS1035Label));
  for (const [field, value] of [['kind', names.kind], ['listKind', names.listKind]] as const) {
    if (typeof value !== 'string' || !value) errs.push(fieldErrors.required(`${path}.${field}`));
    else if (!kindFormat.test(value)) errs.push(fieldErrors.invalid(`${path}.${field}`, value, kindFormatError));
  }
  if (names.kind && names.kind === names.listKind) errs.push(fieldErrors.invalid(`${path}.listKind`, names.listKind, 'kind and listKind may not be the same'));
  (Array.isArray(names.shortNames) ? names.shortNames : []).forEach((s, i) => {
    if (typeof s === 'string') errs.push(...validateFormat(`${path}.shortNames[${i}]`, s, isDNS1035Label));
  });
  return errs;
}

function validateVersions(spec: Obj, opts: CrdStrategyOptions): FieldError[] {
  const errs: FieldError[] = [];
  const versions = objectsAt(spec, 'versions');
  if (versions.length === 0) {
    errs.push(fieldErrors.invalid('spec.versions', spec.versions ?? null, 'must have exactly one version marked as storage version'));
    return errs;
  }
  const seen = new Set<string>();
  let storage = 0;
  let served = 0;
  versions.forEach((v, i) => {
    const p = `spec.versions[${i}]`;
    const name = typeof v.name === 'string' ? v.name : '';
    if (!name) errs.push(fieldErrors.required(`${p}.name`));
    else {
      errs.push(...validateFormat(`${p}.name`, name, isDNS1035Label));
      if (seen.has(name)) errs.push(fieldErrors.duplicate(`${p}.name`, name));
      seen.add(name);
    }
    if (v.storage === true) storage++;
    if (v.served === true) served++;
    const schema = objectAt(objectAt(v, 'schema'), 'openAPIV3Schema');
    if (!schema) errs.push(fieldErrors.required(`${p}.schema.openAPIV3Schema`, 'schemas are required'));
    else if (opts.validateSchema) errs.push(...opts.validateSchema(schema, `${p}.schema.openAPIV3Schema`));
  });
  if (storage !== 1) errs.push(fieldErrors.invalid('spec.versions', spec.versions, 'must have exactly one version marked as storage version'));
  if (served === 0) errs.push(fieldErrors.invalid('spec.versions', spec.versions, 'must have at least one version marked as served'));
  return errs;
}

function validateCrd(crd: KubeObject, opts: CrdStrategyOptions): FieldError[] {
  const errs: FieldError[] = [];
  const spec = objectAt(crd, 'spec') ?? {};
  const names = objectAt(spec, 'names') ?? {};
  const group = typeof spec.group === 'string' ? spec.group : '';
  if (!group) errs.push(fieldErrors.required('spec.group'));
  else {
    errs.push(...validateFormat('spec.group', group, isDNS1123Subdomain));
    if (!group.includes('.')) errs.push(fieldErrors.invalid('spec.group', group, 'should be a domain with at least one dot'));
  }
  if (crd.metadata.name !== `${String(names.plural ?? '')}.${group}`) {
    errs.push(fieldErrors.invalid('metadata.name', crd.metadata.name, 'must be spec.names.plural+"."+spec.group'));
  }
  if (!spec.scope) errs.push(fieldErrors.required('spec.scope'));
  else errs.push(...validateEnum('spec.scope', spec.scope, ['Cluster', 'Namespaced']));
  errs.push(...validateNames(names, 'spec.names'));
  errs.push(...validateVersions(spec, opts));
  const conversion = objectAt(spec, 'conversion');
  if (conversion) errs.push(...validateEnum('spec.conversion.strategy', conversion.strategy, ['None', 'Webhook']));
  return errs;
}

export function createCrdStrategy(opts: CrdStrategyOptions = {}): ResourceStrategy {
  return {
    prepareForCreate(crd: KubeObject): void {
      // Clients cannot set status; the CRD controller fills conditions and acceptedNames.
      const storage = objectsAt(objectAt(crd, 'spec'), 'versions').find((v) => v.storage === true);
      crd.status = { storedVersions: storage && typeof storage.name === 'string' ? [storage.name] : [] };
    },
    applyDefaults: applyCrdDefaults,
    validate: (crd) => validateCrd(crd, opts),
    validateUpdate(crd: KubeObject, old: KubeObject): FieldError[] {
      const errs = validateCrd(crd, opts);
      errs.push(...validateImmutable('spec.group', objectAt(crd, 'spec')?.group, objectAt(old, 'spec')?.group));
      return errs;
    },
  };
}
