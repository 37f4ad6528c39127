import { describe, expect, it } from 'vitest';
import { Labels } from '../crd/constants.ts';
import { SchedulerCache } from './cache.ts';
import { QuantityReader, type Resources } from './resources.ts';
import { agentNode, testNode } from './testing/objects.ts';

const req = (milliCpu: number): Resources => ({ milliCpu, memory: 0, pods: 1, bandwidth: 0 });

function setup() {
  const events: string[] = [];
  const cache = new SchedulerCache(new QuantityReader(), () => events.push('freed'));
  return { cache, events };
}

describe('SchedulerCache', () => {
  it('an assumption confirmed by the API becomes a binding without being counted twice', () => {
    const { cache } = setup();
    cache.upsertNode(testNode('n1', { cpu: '4' }));
    cache.assume('ns/p', 'n1', req(1000), 'ns/tr');
    cache.observeBound('ns/p', 'n1', () => req(1000));
    expect(cache.getNode('n1')!.requested.milliCpu).toBe(1000);
    expect(cache.isAssumed('ns/p')).toBe(false);
    // A binding is no longer ours to forget.
    expect(cache.forget('ns/p')).toBe(false);
    expect(cache.getNode('n1')!.requested.milliCpu).toBe(1000);
  });

  it('a pod bound elsewhere than assumed moves', () => {
    const { cache } = setup();
    cache.upsertNode(testNode('n1'));
    cache.upsertNode(testNode('n2'));
    cache.assume('ns/p', 'n1', req(1000));
    cache.observeBound('ns/p', 'n2', () => req(1000));
    expect(cache.getNode('n1')!.requested.milliCpu).toBe(0);
    expect(cache.getNode('n2')!.requested.milliCpu).toBe(1000);
  });

  it('finished or deleted pods free their capacity and say so', () => {
    const { cache, events } = setup();
    cache.upsertNode(testNode('n1'));
    events.length = 0;
    cache.observeBound('ns/p', 'n1', () => req(500));
    expect(events).toEqual([]);
    cache.observeGone('ns/p');
    expect(cache.getNode('n1')!.requested).toEqual({ milliCpu: 0, memory: 0, pods: 0, bandwidth: 0 });
    expect(events).toEqual(['freed']);
  });

  it('keeps accounting for pods on a node it has not seen yet (or no longer sees)', () => {
    const { cache } = setup();
    cache.observeBound('ns/p', 'late', () => req(700));
    expect(cache.nodeCount).toBe(0);
    cache.upsertNode(testNode('late', { cpu: '1' }));
    expect(cache.getNode('late')!.requested.milliCpu).toBe(700);
    cache.deleteNode('late');
    expect(cache.nodeCount).toBe(0);
    expect(cache.getNode('late')!.requested.milliCpu).toBe(700);
    cache.observeGone('ns/p');
    expect(cache.getNode('late')).toBeUndefined();
  });

  it('new nodes, readiness and more allocatable announce capacity; heartbeats do not', () => {
    const { cache, events } = setup();
    cache.upsertNode(testNode('n1', { cpu: '1', ready: false }));
    expect(events).toEqual(['freed']);
    events.length = 0;
    cache.upsertNode(testNode('n1', { cpu: '1', ready: false }));
    expect(events).toEqual([]);
    cache.upsertNode(testNode('n1', { cpu: '1' }));
    expect(events).toEqual(['freed']);
    cache.upsertNode(testNode('n1', { cpu: '2' }));
    expect(events).toEqual(['freed', 'freed']);
    cache.upsertNode(testNode('n1', { cpu: '2' }));
    expect(events).toEqual(['freed', 'freed']);
  });

  it('candidates come from the label index and follow relabelling', () => {
    const { cache } = setup();
    cache.upsertNode(agentNode('a1', 'alice'));
    cache.upsertNode(agentNode('a2', 'alice'));
    cache.upsertNode(agentNode('b1', 'bob'));
    const alice = [[Labels.NodeNamespace, 'alice']] as const;
    expect(cache.candidates(alice).map((n) => n.name).sort()).toEqual(['a1', 'a2']);
    cache.upsertNode(agentNode('a2', 'bob'));
    expect(cache.candidates(alice).map((n) => n.name)).toEqual(['a1']);
    expect(cache.candidates([[Labels.NodeNamespace, 'carol']])).toEqual([]);
    expect(cache.candidates([]).length).toBe(3);
    cache.deleteNode('a1');
    expect(cache.candidates(alice)).toEqual([]);
  });
});
