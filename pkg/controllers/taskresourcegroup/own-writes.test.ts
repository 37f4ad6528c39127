import { describe, expect, it } from 'vitest';
import type { ApiObject } from '../../kube/wire.ts';
import { OwnWrites } from './own-writes.ts';

const obj = (resourceVersion: string, phase: string) => ({ metadata: { namespace: 'alice', name: 'tr', resourceVersion }, phase }) as ApiObject & { phase: string };

describe('own writes', () => {
  it('answers with what we stored while the cache shows an object we replaced', () => {
    const writes = new OwnWrites<ApiObject & { phase: string }>();
    writes.record(obj('1', 'Failed'), obj('2', 'Reserving'));
    writes.record(obj('2', 'Reserving'), obj('3', 'Reserved'));
    expect(writes.latest(obj('1', 'Failed')).phase).toBe('Reserved');
    expect(writes.latest(obj('2', 'Reserving')).phase).toBe('Reserved');
    // The cache caught up, or moved past our write: it wins, and the record is gone.
    expect(writes.latest(obj('4', 'Schedulable')).phase).toBe('Schedulable');
    expect(writes.latest(obj('1', 'Failed')).phase).toBe('Failed');
  });

  it('records nothing when nothing was written', () => {
    const writes = new OwnWrites<ApiObject & { phase: string }>();
    writes.record(obj('1', 'Failed'), obj('1', 'Failed'));
    expect(writes.latest(obj('1', 'Failed')).phase).toBe('Failed');
  });
});
