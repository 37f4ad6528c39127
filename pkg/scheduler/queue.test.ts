import { describe, expect, it } from 'vitest';
import { SchedulingQueue, type QueuedUnit } from './queue.ts';

const unit = (name: string, priority = 0, createdMs = 0): QueuedUnit => ({ id: `gang:${name}`, name, priority, createdMs });

function drain(q: SchedulingQueue): string[] {
  const out: string[] = [];
  for (let u = q.pop(); u; u = q.pop()) out.push(u.name);
  return out;
}

describe('SchedulingQueue', () => {
  it('orders by priority (high first), then age (old first), then namespace/name', () => {
    const q = new SchedulingQueue();
    q.add(unit('alice/young', 0, 2000));
    q.add(unit('alice/old', 0, 1000));
    q.add(unit('bob/urgent', 10, 5000));
    q.add(unit('alice/b', 0, 1000));
    q.add(unit('alice/a', 0, 1000));
    q.add(unit('alice/low', -1, 0));
    expect(drain(q)).toEqual(['bob/urgent', 'alice/a', 'alice/b', 'alice/old', 'alice/young', 'alice/low']);
  });

  it('keeps a unit once however often it is added', () => {
    const q = new SchedulingQueue();
    q.add(unit('a'));
    q.add(unit('a'));
    expect(drain(q)).toEqual(['a']);
  });

  it('parked units wait for capacity, and their own events wake them too', () => {
    const q = new SchedulingQueue();
    q.park(unit('waiting', 0, 1));
    q.park(unit('other', 0, 2));
    expect(q.pop()).toBeUndefined();
    expect(q.parkedCount).toBe(2);
    q.add(unit('other', 0, 2));
    expect(drain(q)).toEqual(['other']);
    q.moveAllToActive();
    expect(drain(q)).toEqual(['waiting']);
    expect(q.parkedCount).toBe(0);
  });

  it('a forgotten unit is not woken', () => {
    const q = new SchedulingQueue();
    q.park(unit('gone'));
    q.forget('gang:gone');
    q.moveAllToActive();
    expect(drain(q)).toEqual([]);
  });

  it('stays a heap under many interleaved operations', () => {
    const q = new SchedulingQueue();
    const names = Array.from({ length: 200 }, (_, i) => `ns/p${String((i * 7919) % 200).padStart(3, '0')}`);
    for (const n of names) q.add(unit(n, Number(n.slice(-1)) % 3, 0));
    const out = drain(q).map((n) => Number(n.slice(-1)) % 3);
    expect(out).toEqual([...out].sort((a, b) => b - a));
  });
});
