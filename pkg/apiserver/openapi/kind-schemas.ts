import type { ResourceType } from '../api/resource-type.ts';
import { LIST_META, OBJECT_META } from './meta-definitions.ts';
import { refTo, schemaToJson, type OpenApiSchema } from './openapi-schema.ts';
import type { GroupVersionKind } from '../api/resource-type.ts';

export type { GroupVersionKind } from '../api/resource-type.ts';

export const API_VERSION_DESCRIPTION =
  'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources';
export const KIND_DESCRIPTION =
  'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds';
const METADATA_DESCRIPTION =
  "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";
const LIST_METADATA_DESCRIPTION =
  'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#lists-and-simple-lists';

/**
 * Component name for a custom kind, as the apiextensions OpenAPI builder names it: the group
 * reversed, then version and kind (`kuscia.secretflow` v1alpha1 KusciaJob →
 * `secretflow.kuscia.v1alpha1.KusciaJob`).
 */
export function customDefinitionName(gvk: GroupVersionKind): string {
  return [...gvk.group.split('.').reverse(), gvk.version, gvk.kind].join('.');
}

/** True when a definition declares itself the schema of `gvk` (the extension kubectl explain looks for). */
export function declaresGvk(schema: OpenApiSchema, gvk: GroupVersionKind): boolean {
  const list = schema['x-kubernetes-group-version-kind'];
  return Array.isArray(list) && list.some((e) => e?.group === gvk.group && e?.version === gvk.version && e?.kind === gvk.kind);
}

export function findDefinitionFor(definitions: Record<string, OpenApiSchema>, gvk: GroupVersionKind): string | undefined {
  return Object.keys(definitions).find((name) => declaresGvk(definitions[name], gvk));
}

/**
 * The published schema of a custom resource: its structural schema with apiVersion and kind
 * described, metadata replaced by a reference to ObjectMeta (the CRD's own `metadata` schema may only
 * restrict name/generateName and is not published), and the GVK extension added.
 */
export function customKindSchema(rt: ResourceType): OpenApiSchema {
  const schema = schemaToJson(rt.schema);
  const properties = { ...((schema.properties as Record<string, OpenApiSchema> | undefined) ?? {}) };
  properties.apiVersion = { type: 'string', description: API_VERSION_DESCRIPTION };
  properties.kind = { type: 'string', description: KIND_DESCRIPTION };
  properties.metadata = { allOf: [refTo(OBJECT_META)], description: METADATA_DESCRIPTION };
  return {
    ...schema,
    type: 'object',
    properties: Object.fromEntries(Object.keys(properties).sort().map((k) => [k, properties[k]])),
    'x-kubernetes-group-version-kind': [{ group: rt.group, version: rt.version, kind: rt.kind }],
  };
}

/** The `<Kind>List` schema published next to a custom kind. */
export function customListSchema(rt: ResourceType, itemDefinition: string): OpenApiSchema {
  return {
    type: 'object',
    description: `${rt.listKind} is a list of ${rt.kind}`,
    required: ['items'],
    properties: {
      apiVersion: { type: 'string', description: API_VERSION_DESCRIPTION },
      items: {
        type: 'array',
        description: `List of ${rt.resource}. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md`,
        items: refTo(itemDefinition),
      },
      kind: { type: 'string', description: KIND_DESCRIPTION },
      metadata: { allOf: [refTo(LIST_META)], description: LIST_METADATA_DESCRIPTION },
    },
    'x-kubernetes-group-version-kind': [{ group: rt.group, version: rt.version, kind: rt.listKind }],
  };
}
