import type { ResourceType } from '../api/resource-type.ts';
import { subresourceInfo } from '../discovery/subresources.ts';
import type { GroupVersionKind } from './kind-schemas.ts';
import { DELETE_OPTIONS, PATCH, STATUS } from './meta-definitions.ts';
import { refTo } from './openapi-schema.ts';
import { DELETE_PARAMETERS, LIST_PARAMETERS, P, PATCH_PARAMETERS, WRITE_PARAMETERS, type Parameter } from './parameters.ts';

export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'patch';

/** `x-kubernetes-action` values kube-apiserver uses (create is "post", update is "put"). */
type Action = 'get' | 'list' | 'post' | 'put' | 'patch' | 'delete' | 'deletecollection';

export interface Operation {
  tags: string[];
  description: string;
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: unknown }>; required: boolean };
  responses: Record<string, { description: string; content?: Record<string, { schema: unknown }> }>;
  'x-kubernetes-action': Action;
  'x-kubernetes-group-version-kind': GroupVersionKind;
}

export type PathItem = Partial<Record<HttpMethod, Operation>> & { parameters: Parameter[] };

/** Component names the operations of one resource refer to. */
export interface ResourceDefinitionNames {
  kind: string;
  list: string;
  /** Component describing a subresource payload kind (autoscaling/v1 Scale, core/v1 Binding...), if published. */
  definitionFor(gvk: GroupVersionKind): string | undefined;
}

const json = (schema: unknown) => ({ 'application/json': { schema } });

/** `core_v1`, `apps_v1`, `rbacAuthorization_v1`, `kusciaSecretflow_v1alpha1`: the tag and operationId stem. */
function groupStem(group: string): string {
  if (group === '') return 'core';
  const parts = group.replace(/\.k8s\.io$/, '').split(/[.-]/).filter(Boolean);
  return parts.map((p, i) => (i === 0 ? p : p[0].toUpperCase() + p.slice(1))).join('');
}

const capitalise = (s: string) => (s ? s[0].toUpperCase() + s.slice(1) : s);

/**
 * All path items of one resource, keyed by URL template: collection, item, cross-namespace list and
 * the subresources with CRUD semantics (status, scale, binding, finalize...). Streaming/connect
 * subresources (log, exec, attach, portforward, proxy) are not described.
 */
export function resourcePaths(rt: ResourceType, names: ResourceDefinitionNames): Record<string, PathItem> {
  const gvk: GroupVersionKind = { group: rt.group, version: rt.version, kind: rt.kind };
  const prefix = rt.group ? `/apis/${rt.group}/${rt.version}` : `/api/${rt.version}`;
  const stem = groupStem(rt.group);
  const tag = `${stem}_${rt.version}`;
  const gvId = `${capitalise(stem)}${capitalise(rt.version)}`;
  const scope = rt.namespaced ? 'Namespaced' : '';
  const collection = rt.namespaced ? `${prefix}/namespaces/{namespace}/${rt.resource}` : `${prefix}/${rt.resource}`;
  const scopeParams = rt.namespaced ? [P.namespace, P.pretty] : [P.pretty];
  const has = (verb: string) => rt.verbs.includes(verb);
  const kindRef = refTo(names.kind);

  const op = (action: Action, verbId: string, description: string, rest: Partial<Operation> & Pick<Operation, 'responses'>, kind = gvk): Operation => ({
    tags: [tag],
    description,
    operationId: `${verbId}${gvId}${scope}${rt.kind}`,
    ...rest,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': kind,
  });

  const paths: Record<string, PathItem> = {};
  const collectionItem: PathItem = { parameters: scopeParams };
  if (has('list')) {
    collectionItem.get = op('list', 'list', `list or watch objects of kind ${rt.kind}`, { parameters: LIST_PARAMETERS, responses: { '200': { description: 'OK', content: json(refTo(names.list)) }, '401': { description: 'Unauthorized' } } });
  }
  if (has('create')) {
    collectionItem.post = op('post', 'create', `create a ${rt.kind}`, {
      parameters: WRITE_PARAMETERS,
      requestBody: { content: json(kindRef), required: true },
      responses: { '200': { description: 'OK', content: json(kindRef) }, '201': { description: 'Created', content: json(kindRef) }, '202': { description: 'Accepted', content: json(kindRef) }, '401': { description: 'Unauthorized' } },
    });
  }
  if (has('deletecollection')) {
    collectionItem.delete = op('deletecollection', 'deleteCollection', `delete collection of ${rt.kind}`, {
      parameters: [...DELETE_PARAMETERS, ...LIST_PARAMETERS.filter((p) => p !== P.watch && p !== P.allowWatchBookmarks)],
      requestBody: { content: json(refTo(DELETE_OPTIONS)), required: false },
      responses: { '200': { description: 'OK', content: json(refTo(STATUS)) }, '401': { description: 'Unauthorized' } },
    });
  }
  if (Object.keys(collectionItem).length > 1) paths[collection] = collectionItem;

  const itemPath = `${collection}/{name}`;
  const item: PathItem = { parameters: [P.name, ...scopeParams] };
  if (has('get')) item.get = op('get', 'read', `read the specified ${rt.kind}`, { responses: { '200': { description: 'OK', content: json(kindRef) }, '401': { description: 'Unauthorized' } } });
  if (has('update')) {
    item.put = op('put', 'replace', `replace the specified ${rt.kind}`, {
      parameters: WRITE_PARAMETERS,
      requestBody: { content: json(kindRef), required: true },
      responses: { '200': { description: 'OK', content: json(kindRef) }, '201': { description: 'Created', content: json(kindRef) }, '401': { description: 'Unauthorized' } },
    });
  }
  if (has('patch')) item.patch = patchOperation(op, rt, kindRef, gvk, '');
  if (has('delete')) {
    item.delete = op('delete', 'delete', `delete a ${rt.kind}`, {
      parameters: DELETE_PARAMETERS,
      requestBody: { content: json(refTo(DELETE_OPTIONS)), required: false },
      responses: { '200': { description: 'OK', content: json(refTo(STATUS)) }, '202': { description: 'Accepted', content: json(refTo(STATUS)) }, '401': { description: 'Unauthorized' } },
    });
  }
  if (Object.keys(item).length > 1) paths[itemPath] = item;

  if (rt.namespaced && has('list')) {
    const allNamespaces: PathItem = { parameters: [P.pretty] };
    allNamespaces.get = { ...collectionItem.get!, operationId: `list${gvId}${rt.kind}ForAllNamespaces` };
    paths[`${prefix}/${rt.resource}`] = allNamespaces;
  }

  for (const sub of rt.subresources) {
    if (STREAMING.has(sub)) continue;
    const info = subresourceInfo(rt, sub);
    const subGvk: GroupVersionKind = { group: info.group, version: info.version, kind: info.kind };
    const sameKind = info.kind === rt.kind && info.group === rt.group && info.version === rt.version;
    const subDefinition = sameKind ? undefined : names.definitionFor(subGvk);
    // An unpublished payload kind is described as an open object rather than a dangling $ref.
    const subRef = sameKind ? kindRef : subDefinition ? refTo(subDefinition) : { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    const suffix = capitalise(sub);
    const subItem: PathItem = { parameters: [P.name, ...scopeParams] };
    const subOp = (action: Action, verbId: string, description: string, rest: Partial<Operation> & Pick<Operation, 'responses'>): Operation => ({
      ...op(action, verbId, description, rest, subGvk),
      operationId: `${verbId}${gvId}${scope}${rt.kind}${suffix}`,
    });
    const ok = { '200': { description: 'OK', content: json(subRef) }, '401': { description: 'Unauthorized' } };
    if (info.verbs.includes('get')) subItem.get = subOp('get', 'read', `read ${sub} of the specified ${rt.kind}`, { responses: ok });
    if (info.verbs.includes('update')) subItem.put = subOp('put', 'replace', `replace ${sub} of the specified ${rt.kind}`, { parameters: WRITE_PARAMETERS, requestBody: { content: json(subRef), required: true }, responses: ok });
    if (info.verbs.includes('patch')) subItem.patch = { ...patchOperation(op, rt, subRef, subGvk, sub), operationId: `patch${gvId}${scope}${rt.kind}${suffix}` };
    if (info.verbs.includes('create')) subItem.post = subOp('post', 'create', `create ${sub} of a ${rt.kind}`, { parameters: WRITE_PARAMETERS, requestBody: { content: json(subRef), required: true }, responses: ok });
    if (Object.keys(subItem).length > 1) paths[`${itemPath}/${sub}`] = subItem;
  }
  return paths;
}

/** Subresources that stream or upgrade the connection; they have no object schema to describe. */
const STREAMING = new Set(['log', 'exec', 'attach', 'portforward', 'proxy']);

function patchOperation(
  op: (action: Action, verbId: string, description: string, rest: Partial<Operation> & Pick<Operation, 'responses'>, kind?: GroupVersionKind) => Operation,
  rt: ResourceType,
  resultRef: unknown,
  gvk: GroupVersionKind,
  sub: string,
): Operation {
  const patchSchema = refTo(PATCH);
  const content: Record<string, { schema: unknown }> = {
    'application/apply-patch+yaml': { schema: patchSchema },
    'application/json-patch+json': { schema: patchSchema },
    'application/merge-patch+json': { schema: patchSchema },
  };
  // Custom resources answer 415 to strategic merge patch, so it is only advertised for built-ins.
  if (rt.strategicMergePatch) content['application/strategic-merge-patch+json'] = { schema: patchSchema };
  return op('patch', 'patch', sub ? `partially update ${sub} of the specified ${rt.kind}` : `partially update the specified ${rt.kind}`, {
    parameters: PATCH_PARAMETERS,
    requestBody: { content, required: true },
    responses: { '200': { description: 'OK', content: json(resultRef) }, '201': { description: 'Created', content: json(resultRef) }, '401': { description: 'Unauthorized' } },
  }, gvk);
}
