import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type RunningApiServer } from '../../pkg/apiserver/server.ts';
import { loadKubeConfig } from '../../pkg/kube/client.ts';
import { removeDir } from '../support/apiserver-process.ts';
import { installCrd } from '../support/kube-fixtures.ts';
import { rawRequest } from '../support/raw-client.ts';

let server: RunningApiServer;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kuscia-crd-name-'));
  server = await startApiServer({ dataDir, storage: 'memory', port: 0, logger: pino({ level: 'silent' }) });
  await installCrd(loadKubeConfig(server.kubeconfigPath), {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      scope: 'Cluster',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                metadata: { type: 'object', properties: { name: { type: 'string', maxLength: 8, not: { enum: ['master'] } } } },
                spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
              },
            },
          },
        },
      ],
    },
  });
});

afterAll(async () => {
  await server?.stop();
  await removeDir(dataDir);
});

const create = (name: string) =>
  rawRequest(server, 'POST', '/apis/example.com/v1/widgets', JSON.stringify({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name }, spec: {} }), {
    'Content-Type': 'application/json',
  });

describe('a CRD schema restricting metadata.name', () => {
  it('is enforced on create, as kube-apiserver does, with the field path in the Status', async () => {
    expect((await create('ok')).status).toBe(201);
    const tooLong = await create('much-too-long');
    expect(tooLong.status).toBe(422);
    expect(tooLong.json<{ message: string }>().message).toContain('metadata.name: Too long');
    const reserved = await create('master');
    expect(reserved.status).toBe(422);
    // kube-openapi reports `not` as a composite error (no field path of its own), naming the field in the text.
    expect(reserved.json<{ message: string }>().message).toContain('"metadata.name" must not validate the schema (not)');
  });
});
