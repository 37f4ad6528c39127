import type { ResourceType } from '../api/resource-type.ts';
import { customDefinitionName, customKindSchema, customListSchema, findDefinitionFor } from './kind-schemas.ts';
import { metaDefinitions } from './meta-definitions.ts';
import { reachableDefinitions, refsIn, type OpenApiSchema } from './openapi-schema.ts';
import { resourcePaths, type PathItem } from './operations.ts';

export interface OpenApiV3Document {
  openapi: '3.0.0';
  info: { title: string; version: string };
  paths: Record<string, PathItem>;
  components: {
    schemas: Record<string, OpenApiSchema>;
    securitySchemes: Record<string, unknown>;
  };
}

export interface GroupVersionDocumentInput {
  group: string;
  version: string;
  /** The resource types served in this group-version. */
  types: readonly ResourceType[];
  /**
   * Published definitions of built-in kinds (`io.k8s.api.core.v1.Pod`, ...) with `$ref`s to
   * `#/components/schemas/...` and `x-kubernetes-group-version-kind` on top-level kinds. A resource
   * whose kind has no definition here is published from its ResourceType schema, the way
   * kube-apiserver publishes custom resources.
   */
  definitions?: Record<string, OpenApiSchema>;
  /** `gitVersion` of the server, shown as the document's info.version. */
  serverVersion: string;
}

/**
 * The `/openapi/v3/api/v1` or `/openapi/v3/apis/<group>/<version>` document: every operation of the
 * served resources tagged with `x-kubernetes-action` and `x-kubernetes-group-version-kind`, and the
 * component schemas they reach. kubectl uses it for `explain` (schema lookup by GVK) and to learn
 * that PATCH honours `fieldValidation`, i.e. that the server validates fields itself.
 */
export function buildGroupVersionDocument(input: GroupVersionDocumentInput): OpenApiV3Document {
  const available: Record<string, OpenApiSchema> = { ...metaDefinitions, ...(input.definitions ?? {}) };
  const paths: Record<string, PathItem> = {};
  const roots = new Set<string>();

  for (const rt of [...input.types].sort((a, b) => (a.resource < b.resource ? -1 : 1))) {
    const gvk = { group: rt.group, version: rt.version, kind: rt.kind };
    let kind = findDefinitionFor(available, gvk);
    if (!kind) {
      kind = customDefinitionName(gvk);
      available[kind] = customKindSchema(rt);
    }
    let list = findDefinitionFor(available, { ...gvk, kind: rt.listKind });
    if (!list) {
      list = customDefinitionName({ ...gvk, kind: rt.listKind });
      available[list] = customListSchema(rt, kind);
    }
    roots.add(kind).add(list);
    Object.assign(paths, resourcePaths(rt, { kind, list, definitionFor: (sub) => findDefinitionFor(available, sub) }));
  }
  for (const ref of refsIn(paths)) roots.add(ref);

  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: input.serverVersion },
    paths: Object.fromEntries(Object.keys(paths).sort().map((p) => [p, paths[p]])),
    components: {
      schemas: reachableDefinitions(roots, available),
      securitySchemes: { BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' } },
    },
  };
}
