import { describe, expect, it } from 'vitest';
import { AgentTaint } from '../crd/constants.ts';
import type { Node, Pod } from '../kube/wire.ts';
import { filterReasons, fitErrorMessage, fits, podInfoOf, toleratesTaint, untoleratedTaint } from './filter.ts';
import { NodeInfo } from './node-info.ts';
import { QuantityReader } from './resources.ts';
import { agentNode, taskPod, testNode, testPod } from './testing/objects.ts';

const reader = new QuantityReader();

function info(node: Node, used: Pod[] = []): NodeInfo {
  const n = new NodeInfo(node.metadata!.name!);
  n.update(node, reader);
  for (const p of used) {
    const r = podInfoOf(p, reader).request;
    n.requested.milliCpu += r.milliCpu;
    n.requested.memory += r.memory;
    n.requested.pods += r.pods;
    n.requested.bandwidth += r.bandwidth;
  }
  return n;
}

/** filterReasons and the fast path must always agree. */
function check(pod: Pod, node: NodeInfo): string[] {
  const p = podInfoOf(pod, reader);
  const reasons = filterReasons(p, node);
  expect(fits(p, node)).toBe(reasons.length === 0);
  return reasons;
}

describe('taints and tolerations', () => {
  const taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };

  it('Equal needs key, value and effect to match; the default operator is Equal', () => {
    expect(toleratesTaint({ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }, taint)).toBe(true);
    expect(toleratesTaint({ key: 'dedicated', value: 'gpu' }, taint)).toBe(true);
    expect(toleratesTaint({ key: 'dedicated', value: 'cpu', effect: 'NoSchedule' }, taint)).toBe(false);
    expect(toleratesTaint({ key: 'other', value: 'gpu' }, taint)).toBe(false);
    expect(toleratesTaint({ key: 'dedicated', value: 'gpu', effect: 'NoExecute' }, taint)).toBe(false);
  });

  it('Exists ignores the value; an empty key with Exists tolerates every taint', () => {
    expect(toleratesTaint({ key: 'dedicated', operator: 'Exists' }, taint)).toBe(true);
    expect(toleratesTaint({ operator: 'Exists' }, taint)).toBe(true);
    expect(toleratesTaint({ operator: 'Exists' }, { key: 'x', effect: 'NoExecute' })).toBe(true);
    expect(toleratesTaint({ operator: 'Exists', effect: 'NoExecute' }, taint)).toBe(false);
  });

  it('an untolerated NoSchedule or NoExecute taint keeps the pod off with its key and value named', () => {
    const node = info(testNode('n1', { taints: [{ key: 'a', value: '1', effect: 'NoExecute' }] }));
    expect(check(testPod('p'), node)).toEqual(['node(s) had untolerated taint {a: 1}']);
    expect(check(testPod('p', { tolerations: [{ key: 'a', operator: 'Exists' }] }), node)).toEqual([]);
  });

  it('PreferNoSchedule taints do not filter', () => {
    expect(check(testPod('p'), info(testNode('n1', { taints: [{ key: 'soft', effect: 'PreferNoSchedule' }] })))).toEqual([]);
  });

  it("Kuscia's agent taint is tolerated by task pods only", () => {
    const node = info(agentNode('n1', 'alice'));
    expect(check(taskPod('p', 'alice'), node)).toEqual([]);
    expect(check(testPod('plain'), node)).toEqual([`node(s) had untolerated taint {${AgentTaint.key}: ${AgentTaint.value}}`]);
    expect(untoleratedTaint(node.taints, [{ key: AgentTaint.key, operator: 'Equal', value: 'v2', effect: 'NoSchedule' }])?.key).toBe(AgentTaint.key);
  });
});

describe('node selection', () => {
  it('nodeSelector needs every pair to match exactly', () => {
    const node = info(testNode('n1', { labels: { zone: 'a', disk: 'ssd' } }));
    expect(check(testPod('p', { nodeSelector: { zone: 'a' } }), node)).toEqual([]);
    expect(check(testPod('p', { nodeSelector: { zone: 'a', disk: 'ssd' } }), node)).toEqual([]);
    expect(check(testPod('p', { nodeSelector: { zone: 'b' } }), node)).toEqual(["node(s) didn't match Pod's node affinity/selector"]);
    expect(check(testPod('p', { nodeSelector: { zone: 'a', gpu: 'yes' } }), node)).toEqual(["node(s) didn't match Pod's node affinity/selector"]);
  });

  it('a NotReady node takes nothing, as kube reports it (the not-ready taint)', () => {
    expect(check(testPod('p'), info(testNode('n1', { ready: false })))).toEqual(['node(s) had untolerated taint {node.kubernetes.io/not-ready: }']);
  });

  it('a cordoned node takes nothing', () => {
    expect(check(testPod('p'), info(testNode('n1', { unschedulable: true })))).toEqual(['node(s) were unschedulable']);
  });
});

describe('resource fit', () => {
  it('cpu: requests plus what the node holds must stay within allocatable (exact milli-units)', () => {
    const node = info(testNode('n1', { cpu: '1' }), [testPod('a', { cpu: '0.7' })]);
    expect(check(testPod('p', { cpu: '300m' }), node)).toEqual([]);
    expect(check(testPod('p', { cpu: '301m' }), node)).toEqual(['Insufficient cpu']);
  });

  it('memory in bytes, binary and decimal suffixes alike', () => {
    const node = info(testNode('n1', { memory: '1Gi' }), [testPod('a', { memory: '512Mi' })]);
    expect(check(testPod('p', { memory: '536870912' }), node)).toEqual([]);
    expect(check(testPod('p', { memory: '537M' }), node)).toEqual(['Insufficient memory']);
  });

  it('kuscia.io/bandwidth: a node without it fits only pods that do not ask for it', () => {
    expect(check(testPod('p', { bandwidth: '10' }), info(testNode('n1')))).toEqual(['Insufficient kuscia.io/bandwidth']);
    expect(check(testPod('p'), info(testNode('n1')))).toEqual([]);
    const node = info(testNode('n2', { bandwidth: '100' }), [testPod('a', { bandwidth: '60' })]);
    expect(check(testPod('p', { bandwidth: '40' }), node)).toEqual([]);
    expect(check(testPod('p', { bandwidth: '41' }), node)).toEqual(['Insufficient kuscia.io/bandwidth']);
  });

  it('pods: the pod count is a resource too', () => {
    const node = info(testNode('n1', { pods: '2' }), [testPod('a'), testPod('b')]);
    expect(check(testPod('p'), node)).toEqual(['Too many pods']);
  });

  it('reports every insufficient resource of a node', () => {
    const node = info(testNode('n1', { cpu: '1', memory: '1Gi' }));
    expect(check(testPod('p', { cpu: '2', memory: '2Gi' }), node)).toEqual(['Insufficient cpu', 'Insufficient memory']);
  });

  it('init containers: the larger of their max and the sum of the containers counts', () => {
    const pod = testPod('p', { cpu: '100m' });
    pod.spec!.initContainers = [{ name: 'init', image: 'x', resources: { requests: { cpu: '2' } } }];
    expect(podInfoOf(pod, reader).request.milliCpu).toBe(2000);
    expect(check(pod, info(testNode('n1', { cpu: '1' })))).toEqual(['Insufficient cpu']);
  });
});

describe('fit error message', () => {
  it("reads like kube-scheduler's: counts per reason, sorted", () => {
    const reasons = new Map([
      ['Insufficient cpu', 2],
      ['node(s) were unschedulable', 1],
    ]);
    expect(fitErrorMessage(3, reasons)).toBe('0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu.');
    expect(fitErrorMessage(0, new Map())).toBe('no nodes available to schedule pods');
  });
});
