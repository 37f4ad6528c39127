import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { PORT_POOL } from '../../crd/index.ts';
import { PortAllocator, PortPoolExhaustedError } from './port-allocator.ts';

const owner = (i: number) => ({ taskName: `task-${i}`, taskUID: `uid-${i}` });
const keys = (task: string, role: string, n: number) => Array.from({ length: n }, (_, i) => `${task}-${role}-0/port-${i}`);

describe('PortAllocator', () => {
  it('hands out ports from Kuscia pool 20000-32766', () => {
    const allocator = new PortAllocator();
    expect(allocator.size).toBe(12767);
    const ports = Object.values(allocator.allocate(owner(1), [{ namespace: 'alice', keys: keys('t', 'a', 50) }]).get('alice')!);
    expect(ports).toHaveLength(50);
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(PORT_POOL.start);
      expect(port).toBeLessThan(PORT_POOL.end);
    }
  });

  it('never gives one port to two tasks, across namespaces, under concurrent reconciles', async () => {
    const allocator = new PortAllocator();
    // Every "reconcile" awaits (as a real one does before allocating) and then allocates for two
    // parties in different namespaces: the interleaving of 200 of them must not produce a duplicate.
    const reconcile = async (i: number) => {
      await nextTurn();
      if (i % 3 === 0) await nextTurn();
      const result = allocator.allocate(owner(i), [
        { namespace: 'alice', keys: keys(`t${i}`, 'client', 3) },
        { namespace: 'bob', keys: keys(`t${i}`, 'server', 3) },
      ]);
      return [...result.values()].flatMap((byKey) => Object.values(byKey));
    };
    const all = (await Promise.all(Array.from({ length: 200 }, (_, i) => reconcile(i)))).flat();
    expect(all).toHaveLength(1200);
    expect(new Set(all).size).toBe(1200);
    expect(allocator.inUse).toBe(1200);
  });

  it('is idempotent per task: the same keys get the same ports back', () => {
    const allocator = new PortAllocator();
    const request = [{ namespace: 'alice', keys: keys('t', 'a', 4) }];
    const first = allocator.allocate(owner(1), request);
    const second = allocator.allocate(owner(1), request);
    expect(second).toEqual(first);
    expect(allocator.inUse).toBe(4);
  });

  it('reuses a port only after the task holding it released it', () => {
    const allocator = new PortAllocator({ pool: { start: 30000, end: 30002 }, random: () => 0 });
    const a = allocator.allocate(owner(1), [{ namespace: 'alice', keys: ['p/a', 'p/b'] }]).get('alice')!;
    expect(Object.values(a).sort()).toEqual([30000, 30001]);
    expect(() => allocator.allocate(owner(2), [{ namespace: 'bob', keys: ['q/a'] }])).toThrow(PortPoolExhaustedError);
    expect(allocator.release('uid-1').sort()).toEqual([30000, 30001]);
    expect(allocator.allocate(owner(2), [{ namespace: 'bob', keys: ['q/a'] }]).get('bob')).toEqual({ 'q/a': 30000 });
  });

  it('fails all or nothing with a clear message when the pool is exhausted', () => {
    const allocator = new PortAllocator({ pool: { start: 30000, end: 30010 }, random: () => 0.5 });
    allocator.allocate(owner(1), [{ namespace: 'alice', keys: keys('t', 'a', 8) }]);
    let caught: unknown;
    try {
      allocator.allocate(owner(2), [
        { namespace: 'alice', keys: keys('u', 'a', 1) },
        { namespace: 'bob', keys: keys('u', 'b', 2) },
      ]);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(PortPoolExhaustedError);
    expect((caught as Error).message).toBe('no available port to allocate for namespace alice: 3 requested, 8 of 10 ports of the pool 30000-30009 in use');
    // Nothing was taken by the failed call.
    expect(allocator.inUse).toBe(8);
    expect(allocator.ownersOf('task-2')).toEqual([]);
  });

  it('rebuilds from recorded ports and reports conflicts', () => {
    const allocator = new PortAllocator({ pool: { start: 30000, end: 30003 }, random: () => 0 });
    expect(allocator.reserve(owner(1), 'alice', 'p/a', 30001)).toBe(true);
    expect(allocator.reserve(owner(1), 'alice', 'p/a', 30001)).toBe(true);
    expect(allocator.reserve(owner(2), 'bob', 'q/a', 30001)).toBe(false);
    expect(allocator.holderOf(30001)).toEqual({ taskName: 'task-1', taskUID: 'uid-1', namespace: 'alice', key: 'p/a' });
    const fresh = allocator.allocate(owner(3), [{ namespace: 'carol', keys: ['r/a', 'r/b'] }]).get('carol')!;
    expect(Object.values(fresh).sort()).toEqual([30000, 30002]);
    expect(allocator.ownersOf('task-1')).toEqual(['uid-1']);
  });
});
