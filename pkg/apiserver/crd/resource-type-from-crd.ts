import type { ResourceType, StorageCodec } from '../api/resource-type.ts';
import type { Schema } from '../schema/types.ts';
import { crdTableConvertor } from '../table/crd-table.ts';
import type { CustomResourceDefinition, CrdVersion } from './crd-types.ts';

const crVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/**
 * The ResourceTypes a CRD serves, one per served version. All versions share storage (conversion
 * strategy None: only apiVersion differs), which is what `storageGroup/storageResource` express.
 */
export function resourceTypesFromCrd(crd: CustomResourceDefinition): ResourceType[] {
  const { group, names, scope } = crd.spec;
  const served = crd.spec.versions.filter((v) => v.served);
  const storageVersion = crd.spec.versions.find((v) => v.storage)?.name ?? served[0]?.name;
  return served.map((v) => ({
    group,
    version: v.name,
    resource: names.plural,
    singular: names.singular || names.kind.toLowerCase(),
    kind: names.kind,
    listKind: names.listKind || `${names.kind}List`,
    namespaced: scope === 'Namespaced',
    shortNames: names.shortNames ?? [],
    categories: names.categories ?? [],
    verbs: crVerbs,
    subresources: v.subresources?.status ? ['status'] : [],
    schema: objectSchema(v),
    prunesUnknownFields: true,
    strategicMergePatch: false,
    strategy: {},
    table: crdTableConvertor(v.additionalPrinterColumns ?? []),
    fieldSelectors: {},
    // Conversion strategy None: objects are stored in the storage version and only their
    // apiVersion changes when served through another version.
    ...(served.length > 1 ? { codec: apiVersionCodec(`${group}/${storageVersion}`, `${group}/${v.name}`) } : {}),
  }));
}

function apiVersionCodec(stored: string, servedAs: string): StorageCodec {
  return {
    toStorage: (obj) => ({ ...obj, apiVersion: stored }),
    fromStorage: (obj) => ({ ...obj, apiVersion: servedAs }),
  };
}

/**
 * The schema of a whole custom object: the CRD's openAPIV3Schema with apiVersion, kind and
 * metadata declared, as kube-apiserver publishes it (metadata itself is validated separately).
 * Of a declared metadata schema only the restrictions on `name` and `generateName` are kept: those
 * are the two a structural schema may make, and kube-apiserver enforces them on create.
 */
function objectSchema(v: CrdVersion): Schema {
  const declared: Schema = v.schema?.openAPIV3Schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  const declaredMeta = declared.properties?.['metadata']?.properties ?? {};
  const metaRestrictions: Record<string, Schema> = {};
  for (const field of ['name', 'generateName']) if (declaredMeta[field]) metaRestrictions[field] = declaredMeta[field];
  return {
    ...declared,
    type: 'object',
    properties: {
      ...declared.properties,
      apiVersion: { type: 'string', description: declared.properties?.['apiVersion']?.description ?? 'APIVersion defines the versioned schema of this representation of an object.' },
      kind: { type: 'string', description: declared.properties?.['kind']?.description ?? 'Kind is a string value representing the REST resource this object represents.' },
      metadata: {
        type: 'object',
        'x-kubernetes-preserve-unknown-fields': true,
        ...(Object.keys(metaRestrictions).length > 0 ? { properties: metaRestrictions } : {}),
      },
    },
  };
}
