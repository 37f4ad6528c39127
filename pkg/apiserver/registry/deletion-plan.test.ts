import { describe, expect, it } from 'vitest';
import type { DeletionStrategy } from '../api/deletion-strategy.ts';
import type { KubeObject } from '../api/object.ts';
import { podStrategy } from '../builtin/kinds/pods.ts';
import { namespaceStrategy } from '../builtin/kinds/namespaces.ts';
import type { DeleteOptions } from './delete-options.ts';
import { finalizersForGarbageCollection, planDeletion, type DeletionPlan } from './deletion-plan.ts';

const now = new Date('2026-03-01T10:00:00Z');
const opts = (o: Partial<DeleteOptions> = {}): DeleteOptions => ({ dryRun: false, ...o });
const pods = podStrategy.deletion as DeletionStrategy;
const namespaces = namespaceStrategy.deletion as DeletionStrategy;

function obj(meta: KubeObject['metadata'] = {}, rest: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', uid: 'u1', ...meta }, ...rest };
}

function pod(meta: KubeObject['metadata'] = {}, spec: Record<string, unknown> = { nodeName: 'n1', terminationGracePeriodSeconds: 30 }, status: Record<string, unknown> = { phase: 'Running' }): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', uid: 'u1', generation: 1, ...meta }, spec, status };
}

function marked(plan: DeletionPlan): KubeObject {
  if (plan.kind !== 'mark') throw new Error(`expected a mark plan, got ${plan.kind}`);
  return plan.object;
}

describe('planDeletion: generic objects', () => {
  it('removes an object without finalizers at once, whatever the propagation policy asks', () => {
    expect(planDeletion(obj(), opts(), undefined, now)).toEqual({ kind: 'remove' });
    expect(planDeletion(obj(), opts({ propagationPolicy: 'Background' }), undefined, now)).toEqual({ kind: 'remove' });
  });

  it('finalizers only mark the object: deletionTimestamp now, grace 0, generation bumped once', () => {
    const plan = planDeletion(obj({ finalizers: ['a/b'], generation: 3 }), opts(), undefined, now);
    expect(plan).toMatchObject({ kind: 'mark', remove: false });
    expect(marked(plan).metadata).toMatchObject({ deletionTimestamp: '2026-03-01T10:00:00Z', deletionGracePeriodSeconds: 0, generation: 4, finalizers: ['a/b'] });
    // A second DELETE keeps the first timestamp and generation.
    const again = planDeletion(marked(plan), opts(), undefined, new Date('2026-03-01T10:05:00Z'));
    expect(marked(again).metadata).toMatchObject({ deletionTimestamp: '2026-03-01T10:00:00Z', generation: 4 });
  });

  it('Foreground and Orphan add the garbage collector finalizer (and hold the object)', () => {
    expect(marked(planDeletion(obj(), opts({ propagationPolicy: 'Foreground' }), undefined, now)).metadata.finalizers).toEqual(['foregroundDeletion']);
    expect(marked(planDeletion(obj(), opts({ propagationPolicy: 'Orphan' }), undefined, now)).metadata.finalizers).toEqual(['orphan']);
    expect(marked(planDeletion(obj(), opts({ orphanDependents: true }), undefined, now)).metadata.finalizers).toEqual(['orphan']);
  });

  it('an explicit Background on an object held only by a GC finalizer removes it at once', () => {
    expect(planDeletion(obj({ finalizers: ['foregroundDeletion'], deletionTimestamp: '2026-03-01T09:00:00Z', deletionGracePeriodSeconds: 0 }), opts({ propagationPolicy: 'Background' }), undefined, now)).toEqual({
      kind: 'remove',
    });
  });
});

describe('finalizersForGarbageCollection', () => {
  it('an explicit policy replaces the GC finalizers; without one the object keeps its own', () => {
    expect(finalizersForGarbageCollection(['x', 'orphan'], opts({ propagationPolicy: 'Foreground' }))).toEqual({ changed: true, finalizers: ['x', 'foregroundDeletion'] });
    expect(finalizersForGarbageCollection(['orphan'], opts())).toEqual({ changed: false, finalizers: ['orphan'] });
    expect(finalizersForGarbageCollection(['x'], opts())).toEqual({ changed: false, finalizers: ['x'] });
    // orphanDependents=false removes orphan but does not ask for foreground deletion.
    expect(finalizersForGarbageCollection(['orphan'], opts({ orphanDependents: false }))).toEqual({ changed: true, finalizers: [] });
  });
});

describe('planDeletion: pods (graceful deletion)', () => {
  it('a pod on a node gets its terminationGracePeriodSeconds, or the requested period', () => {
    const plan = planDeletion(pod(), opts(), pods, now);
    expect(plan).toMatchObject({ kind: 'mark', remove: false });
    expect(marked(plan).metadata).toMatchObject({ deletionTimestamp: '2026-03-01T10:00:30Z', deletionGracePeriodSeconds: 30, generation: 2 });
    expect(marked(planDeletion(pod(), opts({ gracePeriodSeconds: 5 }), pods, now)).metadata.deletionGracePeriodSeconds).toBe(5);
    // Negative periods count as 1 second.
    expect(marked(planDeletion(pod(), opts({ gracePeriodSeconds: -3 }), pods, now)).metadata.deletionGracePeriodSeconds).toBe(1);
  });

  it('an unbound or terminated pod is marked with grace 0 and removed in the same DELETE', () => {
    for (const p of [pod({}, { terminationGracePeriodSeconds: 30 }), pod({}, { nodeName: 'n1' }, { phase: 'Succeeded' }), pod({}, { nodeName: 'n1' }, { phase: 'Failed' })]) {
      const plan = planDeletion(p, opts(), pods, now);
      expect(plan).toMatchObject({ kind: 'mark', remove: true });
      expect(marked(plan).metadata).toMatchObject({ deletionTimestamp: '2026-03-01T10:00:00Z', deletionGracePeriodSeconds: 0 });
    }
  });

  it('a pending graceful deletion can only be shortened', () => {
    const deleting = marked(planDeletion(pod(), opts(), pods, now));
    expect(planDeletion(deleting, opts(), pods, now)).toEqual({ kind: 'pending' });
    expect(planDeletion(deleting, opts({ gracePeriodSeconds: 30 }), pods, now)).toEqual({ kind: 'pending' });
    const shorter = planDeletion(deleting, opts({ gracePeriodSeconds: 10 }), pods, now);
    expect(shorter).toMatchObject({ kind: 'mark', remove: false });
    expect(marked(shorter).metadata).toMatchObject({ deletionTimestamp: '2026-03-01T10:00:10Z', deletionGracePeriodSeconds: 10, generation: 2 });
    // The node agent's grace 0 removes it.
    expect(planDeletion(deleting, opts({ gracePeriodSeconds: 0 }), pods, now)).toMatchObject({ kind: 'mark', remove: true });
  });

  it('finalizers still hold a pod deleted with grace 0', () => {
    const plan = planDeletion(pod({ finalizers: ['a/b'] }), opts({ gracePeriodSeconds: 0 }), pods, now);
    expect(plan).toMatchObject({ kind: 'mark', remove: false });
    expect(marked(plan).metadata.deletionGracePeriodSeconds).toBe(0);
    // Already at grace 0: a further DELETE goes through the finalizer path and stays a mark.
    expect(planDeletion(marked(plan), opts(), pods, now)).toMatchObject({ kind: 'mark', remove: false });
  });
});

describe('planDeletion: namespaces (Terminating first)', () => {
  const ns = (meta: KubeObject['metadata'] = {}, finalizers: string[] = ['kubernetes']): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'n', uid: 'u1', ...meta },
    spec: finalizers.length ? { finalizers } : {},
    status: { phase: 'Active' },
  });

  it('the first DELETE sets deletionTimestamp and the Terminating phase only', () => {
    const plan = planDeletion(ns(), opts(), namespaces, now);
    expect(plan).toMatchObject({ kind: 'mark', remove: false });
    expect(marked(plan)).toMatchObject({ metadata: { deletionTimestamp: '2026-03-01T10:00:00Z' }, status: { phase: 'Terminating' } });
    expect(marked(plan).metadata.deletionGracePeriodSeconds).toBeUndefined();
    expect(marked(planDeletion(ns(), opts({ propagationPolicy: 'Foreground' }), namespaces, now)).metadata.finalizers).toEqual(['foregroundDeletion']);
    // Unlike other kinds, orphanDependents=false asks a namespace for foreground deletion.
    expect(marked(planDeletion(ns(), opts({ orphanDependents: false }), namespaces, now)).metadata.finalizers).toEqual(['foregroundDeletion']);
  });

  it('later DELETEs wait for spec.finalizers, then remove it like any object', () => {
    const terminating = marked(planDeletion(ns(), opts(), namespaces, now));
    expect(planDeletion(terminating, opts(), namespaces, now)).toEqual({ kind: 'pending' });
    const finalized = { ...terminating, spec: {} };
    expect(planDeletion(finalized, opts(), namespaces, now)).toEqual({ kind: 'remove' });
    expect(planDeletion({ ...finalized, metadata: { ...finalized.metadata, finalizers: ['x/y'] } }, opts(), namespaces, now)).toMatchObject({ kind: 'mark', remove: false });
  });
});
