/**
 * Unchanged managers keep their stored FieldsV1 object instead of being re-encoded. The output
 * must be byte-identical to encoding every entry afresh: the reference here is the same write with
 * the stored FieldsV1 spelt non-canonically (keys reversed), which can only be re-encoded.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../test/support/seeded-random.ts';
import type { Schema } from '../schema/types.ts';
import type { KubeObject, ManagedFieldsEntry } from '../api/object.ts';
import { trackUpdate, type TrackUpdateOptions } from './managed-fields-update.ts';


const listMap = (key: string, properties: Record<string, Schema>): Schema => ({
  type: 'array',
  'x-kubernetes-list-type': 'map',
  'x-kubernetes-list-map-keys': [key],
  items: { type: 'object', properties: { [key]: { type: 'string' }, ...properties } },
});
const schema: Schema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        replicas: { type: 'integer' },
        containers: listMap('name', { image: { type: 'string' }, args: { type: 'array', items: { type: 'string' } } }),
        selector: { type: 'object', additionalProperties: { type: 'string' } },
      },
    },
    status: { type: 'object', properties: { phase: { type: 'string' }, conditions: listMap('type', { status: { type: 'string' } }) } },
  },
};
const apiVersion = 'kuscia.secretflow/v1alpha1';

/** The same FieldsV1 with every object's keys in reverse order: decodes to the same set, never canonical. */
function reversed(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).reverse().map(([k, x]) => [k, reversed(x)]));
}
const respelt = (entries: ManagedFieldsEntry[] | undefined) => entries?.map((e) => ({ ...e, fieldsV1: reversed(e.fieldsV1) as Record<string, unknown> }));

function pick<T>(next: () => number, xs: readonly T[]): T {
  return xs[Math.floor(next() * xs.length)];
}

/** A random change of the spec/metadata half (main resource) or the status half (status subresource). */
function mutate(next: () => number, live: KubeObject, status: boolean): KubeObject {
  const obj = structuredClone(live);
  if (status) {
    const s = (obj.status ?? {}) as { phase?: string; conditions?: { type: string; status: string }[] };
    const r = next();
    if (r < 0.4) s.phase = pick(next, ['Pending', 'Running', 'Succeeded']);
    else if (r < 0.8) s.conditions = ['Ready', 'Scheduled'].filter(() => next() < 0.6).map((type) => ({ type, status: pick(next, ['True', 'False']) }));
    else delete s.phase;
    // The registry shares the half a status write cannot change with the stored object.
    return { ...live, metadata: { ...live.metadata }, status: s };
  }
  const spec = obj.spec as { replicas?: number; containers?: { name: string; image?: string; args?: string[] }[]; selector?: Record<string, string> };
  const r = next();
  if (r < 0.2) spec.replicas = Math.floor(next() * 3);
  else if (r < 0.45) spec.containers = ['main', 'side', 'init'].filter(() => next() < 0.6).map((name) => ({ name, image: pick(next, ['a:1', 'a:2']), ...(next() < 0.3 ? { args: ['x'] } : {}) }));
  else if (r < 0.6) spec.selector = next() < 0.2 ? undefined : { ...spec.selector, [pick(next, ['p', 'q'])]: pick(next, ['1', '2']) };
  else if (r < 0.85) obj.metadata.labels = { ...obj.metadata.labels, [pick(next, ['app', 'tier', 'x'])]: pick(next, ['1', '2']) };
  else if (obj.metadata.labels) delete obj.metadata.labels[pick(next, ['app', 'tier', 'x'])];
  if (spec.selector === undefined) delete spec.selector;
  // Statuses are shared too on main-resource writes.
  if ('status' in live) obj.status = live.status;
  return obj;
}

describe('trackUpdate keeps unchanged managers’ stored FieldsV1', () => {
  it('writes the same bytes as re-encoding every entry, over many random writes by many managers', () => {
    const next = seededRandom(42);
    let reused = 0;
    let folded = 0;
    for (let run = 0; run < 12; run++) {
      const created: KubeObject = { apiVersion, kind: 'Thing', metadata: { name: 't', namespace: 'ns', labels: { app: '1' } }, spec: { replicas: 1, containers: [{ name: 'main', image: 'a:1' }] } };
      let live: KubeObject = { ...created, metadata: { ...created.metadata, uid: 'u1', managedFields: trackUpdate(undefined, created, { manager: 'creator', schema, apiVersion, now: '2024-01-01T00:00:00Z', resetFields: [['status']] }) } };
      for (let step = 0; step < 60; step++) {
        const status = next() < 0.4;
        const opts: TrackUpdateOptions = {
          manager: `m${Math.floor(next() * 14)}`,
          schema,
          apiVersion,
          now: `2024-01-01T00:${String(Math.floor(step / 2)).padStart(2, '0')}:00Z`,
          subresource: status ? 'status' : undefined,
          resetFields: status ? [['spec'], ['metadata']] : [['status']],
        };
        const updated = mutate(next, live, status);
        // Sometimes the client sends managedFields back (as read, or in another spelling).
        if (!status && next() < 0.3) updated.metadata = { ...updated.metadata, managedFields: next() < 0.5 ? structuredClone(live.metadata.managedFields) : respelt(live.metadata.managedFields) };
        const storedBefore = JSON.stringify(live);
        const reference = trackUpdate(
          { ...live, metadata: { ...live.metadata, managedFields: respelt(live.metadata.managedFields) } },
          { ...updated, metadata: { ...updated.metadata, managedFields: respelt(updated.metadata.managedFields) } },
          opts,
        );
        const actual = trackUpdate(live, updated, opts);
        expect(JSON.stringify(actual)).toBe(JSON.stringify(reference));
        // The stored object is not changed by the bookkeeping.
        expect(JSON.stringify(live)).toBe(storedBefore);
        const before = new Set([...(live.metadata.managedFields ?? []), ...(updated.metadata.managedFields ?? [])].map((e) => e.fieldsV1));
        reused += actual.filter((e) => before.has(e.fieldsV1)).length;
        live = { ...updated, metadata: { ...updated.metadata, managedFields: actual } };
      }
      if (live.metadata.managedFields!.some((e) => e.manager === 'ancient-changes')) folded++;
    }
    // The shortcut is actually taken (otherwise this test proves nothing).
    expect(reused).toBeGreaterThan(500);
    // Managers beyond the cap of 10 Update entries were folded into ancient-changes along the way.
    expect(folded).toBeGreaterThan(0);
  });
});
