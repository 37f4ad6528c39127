import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/object.ts';
import { decideForDependent, dropOwnerReferences, ownerState, removeFinalizer, unblockOwnerReferences, type DependentFacts } from './decisions.ts';

const facts = (f: Partial<DependentFacts> = {}): DependentFacts => ({ finalizers: [], hasDependents: false, dependentDeletingInForeground: () => false, ...f });
const owner = (meta: KubeObject['metadata'] = {}): KubeObject => ({ metadata: { name: 'o', uid: 'u1', ...meta } });

describe('ownerState', () => {
  it('an owner is dangling when absent or another object (other uid) holds the name', () => {
    expect(ownerState({ uid: 'u1' }, undefined)).toBe('dangling');
    expect(ownerState({ uid: 'u1' }, owner({ uid: 'u2' }))).toBe('dangling');
    expect(ownerState({ uid: 'u1' }, owner())).toBe('solid');
  });

  it('only a foreground deletion makes an owner wait; other deletions keep it solid until it is gone', () => {
    expect(ownerState({ uid: 'u1' }, owner({ deletionTimestamp: 't', finalizers: ['foregroundDeletion'] }))).toBe('waiting');
    expect(ownerState({ uid: 'u1' }, owner({ deletionTimestamp: 't', finalizers: ['orphan'] }))).toBe('solid');
    expect(ownerState({ uid: 'u1' }, owner({ finalizers: ['foregroundDeletion'] }))).toBe('solid');
  });
});

describe('decideForDependent', () => {
  it('keeps a dependent with a live owner and drops references to the others', () => {
    expect(decideForDependent([{ uid: 'a', state: 'solid' }], facts())).toEqual({ kind: 'keep' });
    expect(
      decideForDependent(
        [
          { uid: 'a', state: 'solid' },
          { uid: 'b', state: 'dangling' },
          { uid: 'c', state: 'waiting' },
        ],
        facts(),
      ),
    ).toEqual({ kind: 'dropOwnerReferences', uids: ['b', 'c'] });
  });

  it('collects a dependent without live owners, Background unless its own finalizers say otherwise', () => {
    expect(decideForDependent([{ uid: 'a', state: 'dangling' }], facts())).toEqual({ kind: 'delete', policy: 'Background', unblockFirst: false });
    expect(decideForDependent([{ uid: 'a', state: 'dangling' }], facts({ finalizers: ['orphan'] }))).toMatchObject({ policy: 'Orphan' });
    expect(decideForDependent([{ uid: 'a', state: 'dangling' }], facts({ finalizers: ['foregroundDeletion'] }))).toMatchObject({ policy: 'Foreground' });
    expect(decideForDependent([{ uid: 'a', state: 'waiting' }, { uid: 'b', state: 'dangling' }], facts())).toMatchObject({ kind: 'delete', policy: 'Background' });
  });

  it('deletes in the foreground when an owner waits and the dependent has dependents itself; unblocks a cycle', () => {
    expect(decideForDependent([{ uid: 'a', state: 'waiting' }], facts({ hasDependents: true }))).toEqual({ kind: 'delete', policy: 'Foreground', unblockFirst: false });
    expect(decideForDependent([{ uid: 'a', state: 'waiting' }], facts({ hasDependents: true, dependentDeletingInForeground: () => true }))).toEqual({
      kind: 'delete',
      policy: 'Foreground',
      unblockFirst: true,
    });
  });
});

describe('metadata edits', () => {
  it('drop references, unblock them and remove finalizers, reporting whether anything changed', () => {
    const o: KubeObject = {
      metadata: {
        finalizers: ['orphan'],
        ownerReferences: [
          { apiVersion: 'v1', kind: 'ConfigMap', name: 'a', uid: 'a', blockOwnerDeletion: true },
          { apiVersion: 'v1', kind: 'ConfigMap', name: 'b', uid: 'b' },
        ],
      },
    };
    expect(unblockOwnerReferences(o)).toBe(true);
    expect(unblockOwnerReferences(o)).toBe(false);
    expect(o.metadata.ownerReferences?.[0].blockOwnerDeletion).toBe(false);
    expect(dropOwnerReferences(o, new Set(['x']))).toBe(false);
    expect(dropOwnerReferences(o, new Set(['a']))).toBe(true);
    expect(o.metadata.ownerReferences?.map((r) => r.uid)).toEqual(['b']);
    expect(dropOwnerReferences(o, new Set(['b']))).toBe(true);
    expect(o.metadata.ownerReferences).toBeUndefined();
    expect(removeFinalizer(o, 'foregroundDeletion')).toBe(false);
    expect(removeFinalizer(o, 'orphan')).toBe(true);
    expect(o.metadata.finalizers).toBeUndefined();
  });
});
