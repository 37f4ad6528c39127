import { describe, expect, it } from 'vitest';
import { buildGroupVersionDocument } from './group-version-document.ts';
import { buildOpenApiV3Documents, openApiV3Response } from './openapi-v3.ts';
import { encodeOpenApiV2Document, openApiV2Response, OPENAPI_V2_PROTOBUF_CONTENT_TYPE } from './openapi-v2.ts';
import { refsIn } from './openapi-schema.ts';
import type { Operation, PathItem } from './operations.ts';
import { allTestTypes, deploymentType, kusciaJobType, podType } from '../discovery/test-fixtures.ts';

const kusciaGvk = { group: 'kuscia.secretflow', version: 'v1alpha1', kind: 'KusciaJob' };
const operations = (paths: Record<string, PathItem>) =>
  Object.entries(paths).flatMap(([path, item]) =>
    (['get', 'put', 'post', 'delete', 'patch'] as const).flatMap((m) => (item[m] ? [{ path, method: m, op: item[m] as Operation }] : [])),
  );

/** What kubectl's query_param_verifier_v3 does: the PATCH operations for a GVK must list fieldValidation. */
function supportsFieldValidation(paths: Record<string, PathItem>, gvk: typeof kusciaGvk): boolean {
  const patches = operations(paths).filter(({ method, op }) => method === 'patch' && JSON.stringify(op['x-kubernetes-group-version-kind']) === JSON.stringify(gvk));
  return patches.length > 0 && patches.every(({ op }) => op.parameters?.some((p) => p.name === 'fieldValidation'));
}

describe('OpenAPI v3 group-version document', () => {
  const doc = buildGroupVersionDocument({ group: 'kuscia.secretflow', version: 'v1alpha1', types: [kusciaJobType], serverVersion: 'v1.32.4' });

  it('describes collection, item, all-namespaces and status paths with Kubernetes actions', () => {
    const base = '/apis/kuscia.secretflow/v1alpha1';
    expect(Object.keys(doc.paths)).toEqual([
      `${base}/kusciajobs`,
      `${base}/namespaces/{namespace}/kusciajobs`,
      `${base}/namespaces/{namespace}/kusciajobs/{name}`,
      `${base}/namespaces/{namespace}/kusciajobs/{name}/status`,
    ]);
    const actions = operations(doc.paths).map(({ path, method, op }) => `${method} ${path.slice(base.length)} ${op['x-kubernetes-action']}`);
    expect(actions).toEqual(expect.arrayContaining([
      'get /kusciajobs list',
      'post /namespaces/{namespace}/kusciajobs post',
      'delete /namespaces/{namespace}/kusciajobs deletecollection',
      'get /namespaces/{namespace}/kusciajobs/{name} get',
      'put /namespaces/{namespace}/kusciajobs/{name} put',
      'patch /namespaces/{namespace}/kusciajobs/{name} patch',
      'delete /namespaces/{namespace}/kusciajobs/{name} delete',
      'patch /namespaces/{namespace}/kusciajobs/{name}/status patch',
    ]));
    const patch = doc.paths[`${base}/namespaces/{namespace}/kusciajobs/{name}`].patch!;
    expect(patch.operationId).toBe('patchKusciaSecretflowV1alpha1NamespacedKusciaJob');
    expect(patch['x-kubernetes-group-version-kind']).toEqual(kusciaGvk);
    // Custom resources do not take strategic merge patch.
    expect(Object.keys(patch.requestBody!.content)).toEqual(['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json']);
  });

  it('declares fieldValidation on every PATCH so kubectl delegates validation to the server', () => {
    expect(supportsFieldValidation(doc.paths, kusciaGvk)).toBe(true);
    expect(supportsFieldValidation(doc.paths, { ...kusciaGvk, kind: 'Other' })).toBe(false);
  });

  it('publishes the CRD schema with apiVersion/kind/metadata filled in and the GVK extension', () => {
    const schema = doc.components.schemas['secretflow.kuscia.v1alpha1.KusciaJob'] as any;
    expect(schema['x-kubernetes-group-version-kind']).toEqual([kusciaGvk]);
    expect(schema.properties.metadata).toMatchObject({ allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }] });
    expect(schema.properties.apiVersion).toMatchObject({ type: 'string' });
    expect(schema.properties.spec.properties.tasks.items.required).toEqual(['taskID', 'appImage']);
    const list = doc.components.schemas['secretflow.kuscia.v1alpha1.KusciaJobList'] as any;
    expect(list.properties.items.items).toEqual({ $ref: '#/components/schemas/secretflow.kuscia.v1alpha1.KusciaJob' });
    expect(list['x-kubernetes-group-version-kind']).toEqual([{ ...kusciaGvk, kind: 'KusciaJobList' }]);
  });

  it('contains every schema it refers to and nothing unreachable', () => {
    const names = new Set(Object.keys(doc.components.schemas));
    for (const ref of refsIn(doc)) expect(names, ref).toContain(ref);
    expect(names).toContain('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
    expect(names).toContain('io.k8s.apimachinery.pkg.apis.meta.v1.Time');
    expect(names).not.toContain('io.k8s.api.autoscaling.v1.Scale');
  });

  it('uses caller-provided definitions for built-in kinds and advertises strategic merge patch for them', () => {
    const podDef = { type: 'object', description: 'Pod is a collection of containers.', properties: { spec: { $ref: '#/components/schemas/io.k8s.api.core.v1.PodSpec' } }, 'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'Pod' }] };
    const core = buildGroupVersionDocument({
      group: '', version: 'v1', types: [podType], serverVersion: 'v1.32.4',
      definitions: { 'io.k8s.api.core.v1.Pod': podDef, 'io.k8s.api.core.v1.PodSpec': { type: 'object' }, 'io.k8s.api.core.v1.Unused': { type: 'object' } },
    });
    expect(core.components.schemas['io.k8s.api.core.v1.Pod']).toEqual(podDef);
    expect(core.components.schemas).toHaveProperty(['io.k8s.api.core.v1.PodSpec']);
    expect(core.components.schemas).not.toHaveProperty(['io.k8s.api.core.v1.Unused']);
    const item = core.paths['/api/v1/namespaces/{namespace}/pods/{name}'];
    expect(item.get!.operationId).toBe('readCoreV1NamespacedPod');
    expect(Object.keys(item.patch!.requestBody!.content)).toContain('application/strategic-merge-patch+json');
    expect(core.paths['/api/v1/namespaces/{namespace}/pods/{name}/binding'].post!['x-kubernetes-group-version-kind']).toEqual({ group: '', version: 'v1', kind: 'Binding' });
    expect(core.paths).not.toHaveProperty(['/api/v1/namespaces/{namespace}/pods/{name}/log']);
  });

  it('describes deployments/scale with the autoscaling/v1 Scale kind', () => {
    const apps = buildGroupVersionDocument({ group: 'apps', version: 'v1', types: [deploymentType], serverVersion: 'v1.32.4' });
    const scale = apps.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'];
    expect(scale.patch!['x-kubernetes-group-version-kind']).toEqual({ group: 'autoscaling', version: 'v1', kind: 'Scale' });
    expect(scale.get!.responses['200'].content!['application/json'].schema).toEqual({ $ref: '#/components/schemas/io.k8s.api.autoscaling.v1.Scale' });
    expect(apps.components.schemas).toHaveProperty(['io.k8s.api.autoscaling.v1.Scale']);
  });
});

describe('OpenAPI v3 index and HTTP answers', () => {
  const docs = buildOpenApiV3Documents({ types: allTestTypes, serverVersion: 'v1.32.4' });

  it('indexes every group-version with a content hash', () => {
    const index = JSON.parse(docs.index);
    expect(Object.keys(index.paths)).toEqual(['api/v1', 'apis/apps/v1', 'apis/kuscia.secretflow/v1alpha1']);
    const url = index.paths['apis/kuscia.secretflow/v1alpha1'].serverRelativeURL as string;
    expect(url).toMatch(/^\/openapi\/v3\/apis\/kuscia\.secretflow\/v1alpha1\?hash=[0-9A-F]{128}$/);
  });

  it('serves a hashed URL as immutable, redirects stale hashes and revalidates with ETag', () => {
    const { hash } = docs.groupVersions.get('apis/apps/v1')!;
    const fresh = openApiV3Response(docs, { path: 'apis/apps/v1', hash });
    expect(fresh.status).toBe(200);
    expect(fresh.headers['Cache-Control']).toBe('public, immutable');
    expect(fresh.headers.ETag).toBe(`"${hash}"`);
    expect(JSON.parse(fresh.body as string).openapi).toBe('3.0.0');

    const stale = openApiV3Response(docs, { path: 'apis/apps/v1', hash: 'ABC' });
    expect(stale).toMatchObject({ status: 301, headers: { Location: `/openapi/v3/apis/apps/v1?hash=${hash}` } });

    const unhashed = openApiV3Response(docs, { path: 'apis/apps/v1' });
    expect(unhashed.headers).not.toHaveProperty('Cache-Control');
    expect(openApiV3Response(docs, { path: 'apis/apps/v1', ifNoneMatch: unhashed.headers.ETag }).status).toBe(304);
    expect(openApiV3Response(docs, { path: 'apis/batch/v1' }).status).toBe(404);
    expect(openApiV3Response(docs, { path: '' }).body).toBe(docs.index);
    expect(openApiV3Response(docs, { path: 'api/v1', accept: 'application/com.github.proto-openapi.spec.v3.v1.0+protobuf' }).status).toBe(406);
  });

  it('changes the hash when the served resources change', () => {
    const more = buildOpenApiV3Documents({ types: [...allTestTypes, { ...kusciaJobType, resource: 'kusciatasks', kind: 'KusciaTask', listKind: 'KusciaTaskList', singular: 'kusciatask' }], serverVersion: 'v1.32.4' });
    expect(more.groupVersions.get('apis/kuscia.secretflow/v1alpha1')!.hash).not.toBe(docs.groupVersions.get('apis/kuscia.secretflow/v1alpha1')!.hash);
    expect(more.groupVersions.get('apis/apps/v1')!.hash).toBe(docs.groupVersions.get('apis/apps/v1')!.hash);
  });
});

describe('OpenAPI v2', () => {
  it('encodes a minimal gnostic Document: swagger "2.0", info, empty paths', () => {
    const bytes = encodeOpenApiV2Document({ title: 'Kubernetes', version: 'v1.32.4' });
    // field 1 (swagger), length 3, "2.0"
    expect([...bytes.subarray(0, 5)]).toEqual([0x0a, 3, 0x32, 0x2e, 0x30]);
    // field 2 (info) = { field 1 "Kubernetes", field 2 "v1.32.4" }
    const info = [0x0a, 10, ...Buffer.from('Kubernetes'), 0x12, 7, ...Buffer.from('v1.32.4')];
    expect([...bytes.subarray(5, 7 + info.length)]).toEqual([0x12, info.length, ...info]);
    // field 8 (paths), empty message
    expect([...bytes.subarray(-2)]).toEqual([0x42, 0]);
  });

  it('answers with the dotted protobuf content type kubectl can parse', () => {
    const res = openApiV2Response('v1.32.4');
    expect(res.status).toBe(200);
    expect(res.headers['Content-Type']).toBe(OPENAPI_V2_PROTOBUF_CONTENT_TYPE);
    expect(res.headers['Content-Type']).not.toContain('@');
    expect(openApiV2Response('v1.32.4', { ifNoneMatch: res.headers.ETag }).status).toBe(304);
  });
});
