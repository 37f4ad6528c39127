import { describe, expect, it } from 'vitest';
import { deletionConditions, mergeConditions } from './deletion-conditions.ts';

describe('namespace deletion conditions', () => {
  it('says what is left and which finalizers hold it, in Kubernetes wording', () => {
    const conditions = deletionConditions({
      remainingByResource: new Map([
        ['pods.', 2],
        ['widgets.example.com', 1],
        ['configmaps.', 0],
      ]),
      remainingByFinalizer: new Map([['example.com/hold', 1]]),
      deleteErrors: [],
    });
    expect(conditions.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['NamespaceDeletionDiscoveryFailure', 'False', 'ResourcesDiscovered'],
      ['NamespaceDeletionGroupVersionParsingFailure', 'False', 'ParsedGroupVersions'],
      ['NamespaceDeletionContentFailure', 'False', 'ContentDeleted'],
      ['NamespaceContentRemaining', 'True', 'SomeResourcesRemain'],
      ['NamespaceFinalizersRemaining', 'True', 'SomeFinalizersRemain'],
    ]);
    expect(conditions[3].message).toBe('Some resources are remaining: pods. has 2 resource instances, widgets.example.com has 1 resource instances');
    expect(conditions[4].message).toBe('Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances');
  });

  it('reports deletion failures', () => {
    const [, , failure] = deletionConditions({ remainingByResource: new Map(), remainingByFinalizer: new Map(), deleteErrors: ['b: no', 'a: nope'] });
    expect(failure).toMatchObject({ status: 'True', reason: 'ContentDeletionFailed', message: 'Failed to delete all resource types, 2 remaining: a: nope, b: no' });
  });

  it('merges: a condition keeps its transition time unless its status flips; no change is reported as such', () => {
    const first = mergeConditions([], deletionConditions({ remainingByResource: new Map([['pods.', 1]]), remainingByFinalizer: new Map(), deleteErrors: [] }), 't1');
    expect(first?.every((c) => c.lastTransitionTime === 't1')).toBe(true);
    const same = mergeConditions(first ?? [], deletionConditions({ remainingByResource: new Map([['pods.', 1]]), remainingByFinalizer: new Map(), deleteErrors: [] }), 't2');
    expect(same).toBeUndefined();
    const done = mergeConditions(first ?? [], deletionConditions({ remainingByResource: new Map(), remainingByFinalizer: new Map(), deleteErrors: [] }), 't3');
    const remaining = done?.find((c) => c.type === 'NamespaceContentRemaining');
    expect(remaining).toMatchObject({ status: 'False', reason: 'ContentRemoved', lastTransitionTime: 't3' });
    expect(done?.find((c) => c.type === 'NamespaceDeletionContentFailure')?.lastTransitionTime).toBe('t1');
  });
});
