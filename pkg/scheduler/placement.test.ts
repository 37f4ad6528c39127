import { describe, expect, it } from 'vitest';
import type { Node, Pod } from '../kube/wire.ts';
import { SchedulerCache } from './cache.ts';
import { podInfoOf, type PodInfo } from './filter.ts';
import { feasibleNodesToFind, NodePicker, placeGang, Statement } from './placement.ts';
import { QuantityReader } from './resources.ts';
import { agentNode, taskPod, testNode } from './testing/objects.ts';

function setup(nodes: Node[]) {
  const reader = new QuantityReader();
  let freed = 0;
  const cache = new SchedulerCache(reader, () => freed++);
  for (const n of nodes) cache.upsertNode(n);
  freed = 0;
  return { cache, picker: new NodePicker(cache), info: (p: Pod): PodInfo => podInfoOf(p, reader), freed: () => freed };
}

function used(cache: SchedulerCache, node: string) {
  const n = cache.getNode(node)!;
  return { cpu: n.requested.milliCpu, pods: n.requested.pods, free: n.allocatable.milliCpu - n.requested.milliCpu };
}

describe('placeGang (statement commit / discard)', () => {
  it('a gang of 3 where only 2 fit assumes nothing at all', () => {
    const { cache, picker, info } = setup([agentNode('a1', 'alice', { cpu: '1' }), agentNode('a2', 'alice', { cpu: '1' })]);
    const gang = ['p0', 'p1', 'p2'].map((n) => info(taskPod(n, 'alice', { cpu: '1' })));
    const result = placeGang(cache, picker, gang, 3, 'alice/tr');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toBe('cannot place minReservedPods=3 pods together: 0/2 nodes are available: 2 Insufficient cpu.');
    for (const p of gang) expect(cache.account(p.key)).toBeUndefined();
    expect(used(cache, 'a1').cpu).toBe(0);
    expect(used(cache, 'a2').cpu).toBe(0);
  });

  it('commits when the minimum fits, keeping every pod that fits as an assumption', () => {
    const { cache, picker, info } = setup([agentNode('a1', 'alice', { cpu: '1' }), agentNode('a2', 'alice', { cpu: '1' })]);
    const gang = ['p0', 'p1', 'p2'].map((n) => info(taskPod(n, 'alice', { cpu: '1' })));
    const result = placeGang(cache, picker, gang, 2, 'alice/tr');
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.placements.map((p) => p.nodeName).sort()).toEqual(['a1', 'a2']);
    expect(cache.isAssumed('alice/p0')).toBe(true);
    expect(cache.account('alice/p0')?.owner).toBe('alice/tr');
    expect(used(cache, 'a1').free + used(cache, 'a2').free).toBe(0);
  });

  it('discard restores the cache exactly and does not announce freed capacity', () => {
    const { cache, info, freed } = setup([testNode('n1', { cpu: '2' })]);
    const statement = new Statement(cache);
    statement.assume(info(taskPod('x', 'alice', { cpu: '500m' })), 'n1', 'g');
    statement.assume(info(taskPod('y', 'alice', { cpu: '500m' })), 'n1', 'g');
    expect(used(cache, 'n1').cpu).toBe(1000);
    statement.discard();
    expect(used(cache, 'n1')).toEqual({ cpu: 0, pods: 0, free: 2000 });
    expect(freed()).toBe(0);
  });

  it('two gangs competing for one node never overcommit it: the first takes it, the second holds nothing', () => {
    const { cache, picker, info } = setup([agentNode('only', 'alice', { cpu: '4', pods: '10' })]);
    const g1 = [0, 1].map((i) => info(taskPod(`g1-${i}`, 'alice', { cpu: '1500m' })));
    const g2 = [0, 1].map((i) => info(taskPod(`g2-${i}`, 'alice', { cpu: '1500m' })));
    expect(placeGang(cache, picker, g1, 2, 'alice/g1').ok).toBe(true);
    const second = placeGang(cache, picker, g2, 2, 'alice/g2');
    expect(second.ok).toBe(false);
    if (!second.ok) expect(second.message).toBe('cannot place minReservedPods=2 pods together: 0/1 nodes are available: 1 Insufficient cpu.');
    expect(used(cache, 'only')).toEqual({ cpu: 3000, pods: 2, free: 1000 });
    // Once the first gang's reservation is released, the second fits.
    for (const p of g1) cache.forget(p.key);
    expect(placeGang(cache, picker, g2, 2, 'alice/g2').ok).toBe(true);
    expect(used(cache, 'only').free).toBe(1000);
  });

  it('pods already bound (in the API) hold capacity against gangs', () => {
    const { cache, picker, info } = setup([agentNode('a1', 'alice', { cpu: '2' })]);
    cache.observeBound('alice/running', 'a1', () => info(taskPod('running', 'alice', { cpu: '1500m' })).request);
    const result = placeGang(cache, picker, [info(taskPod('p', 'alice', { cpu: '1' }))], 1, 'alice/tr');
    expect(result.ok).toBe(false);
  });

  it("places only on the pod's own domain nodes, and explains the others as selector mismatches", () => {
    const { picker, info } = setup([agentNode('a1', 'alice', { cpu: '1' }), agentNode('b1', 'bob', { cpu: '8' }), agentNode('b2', 'bob', { cpu: '8' })]);
    const pod = info(taskPod('p', 'alice', { cpu: '2' }));
    expect(picker.pick(pod)).toBeUndefined();
    expect(picker.explain(pod)).toBe("0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match Pod's node affinity/selector.");
    expect(picker.pick(info(taskPod('q', 'bob', { cpu: '2' })))).toMatch(/^b[12]$/);
  });
});

describe('NodePicker', () => {
  it('spreads: the least allocated node wins', () => {
    const { cache, picker, info } = setup([testNode('n1', { cpu: '4' }), testNode('n2', { cpu: '4' }), testNode('n3', { cpu: '4' })]);
    const counts = new Map<string, number>();
    for (let i = 0; i < 9; i++) {
      const pod = info(taskPod(`p${i}`, 'x', { cpu: '1' }));
      pod.nodeSelector = [];
      pod.tolerations = [];
      const node = picker.pick(pod)!;
      cache.assume(pod.key, node, pod.request);
      counts.set(node, (counts.get(node) ?? 0) + 1);
    }
    expect([...counts.values()]).toEqual([3, 3, 3]);
  });

  it('skips NotReady and cordoned nodes', () => {
    const { picker, info } = setup([testNode('down', { ready: false }), testNode('cordoned', { unschedulable: true }), testNode('up')]);
    const pod = info(taskPod('p', 'x'));
    pod.nodeSelector = [];
    expect(picker.pick(pod)).toBe('up');
  });

  it("looks at kube-scheduler's share of large clusters", () => {
    expect(feasibleNodesToFind(50)).toBe(50);
    expect(feasibleNodesToFind(500)).toBe(230);
    expect(feasibleNodesToFind(5000)).toBe(500);
    expect(feasibleNodesToFind(100_000)).toBe(5000);
  });
});
