import { describe, expect, it } from 'vitest';
import { RateLimitingQueue } from '../../kube/work-queue.ts';
import type { Node } from '../../kube/wire.ts';
import { ResourceWaitList } from './resource-waits.ts';

const node = (cpu: string, ready = true): Node => ({
  metadata: { name: 'n' },
  status: { allocatable: { cpu }, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

describe('ResourceWaitList', () => {
  it('wakes waiting tasks when a node adds room, not on heartbeats', async () => {
    const queue = new RateLimitingQueue();
    const waits = new ResourceWaitList(queue, 60_000, Date.now);
    waits.wait('cross-domain/t1', Date.now() + 60_000);
    expect(queue.length).toBe(0);
    waits.onNode(node('4'), node('4'));
    waits.onNode(node('4'), node('8', false));
    expect(queue.length).toBe(0);
    waits.onNode(node('4'), node('8'));
    expect(queue.length).toBe(1);
    const item = await queue.get();
    expect(item.key).toBe('cross-domain/t1');
    queue.done(item.key);
    waits.done('cross-domain/t1');
    waits.onNode(undefined, node('16'));
    expect(queue.length).toBe(0);
    await queue.shutDownWithDrain();
  });

  it('checks again at the deadline at the latest', async () => {
    const queue = new RateLimitingQueue();
    const waits = new ResourceWaitList(queue, 60_000, Date.now);
    waits.wait('cross-domain/t2', Date.now() + 20);
    const item = await queue.get();
    expect(item.key).toBe('cross-domain/t2');
    queue.done(item.key);
    await queue.shutDownWithDrain();
  });
});
