import { describe, expect, it } from 'vitest';
import type { Node, Pod } from '../../kube/wire.ts';
import { isNodeReady } from '../../kube/object-state.ts';
import { nodeFree, partyFitProblem, partyRequest, podRequest } from './node-fit.ts';

const GI = 1024n ** 3n * 1_000_000_000n;
const CORE = 1_000_000_000n;

const node = (name: string, cpu: string, memory: string, ready = true): Node => ({
  metadata: { name },
  status: { allocatable: { cpu, memory }, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});
const pod = (cpu: string, memory: string, phase = 'Running'): Pod => ({
  metadata: { name: 'p' },
  spec: { nodeName: 'n1', containers: [{ name: 'c', resources: { requests: { cpu, memory } } }] },
  status: { phase },
});

describe('node fit (the permit check)', () => {
  it('sums requests over containers and replicas, taking limits where requests are missing', () => {
    const request = partyRequest(
      [
        { name: 'a', resources: { requests: { cpu: '500m', memory: '1Gi' } } },
        { name: 'b', resources: { limits: { cpu: 1, memory: '512Mi' } } },
      ],
      2,
    );
    expect(request).toEqual({ cpu: 3n * CORE, memory: 3n * GI });
  });

  it('counts the non-terminal pods bound to a node against its allocatable', () => {
    const free = nodeFree(node('n1', '4', '8Gi'), [pod('1', '2Gi'), pod('1500m', '1Gi', 'Pending'), pod('2', '4Gi', 'Succeeded')]);
    expect(free).toEqual({ name: 'n1', cpu: 1500n * 1_000_000n, memory: 5n * GI });
    expect(podRequest({ spec: { containers: [{ name: 'c' }], initContainers: [{ name: 'i', resources: { requests: { cpu: '2' } } }] } })).toEqual({
      cpu: 2n * CORE,
      memory: 0n,
    });
  });

  it('fits when one node has room for both cpu and memory', () => {
    const nodes = [nodeFree(node('n1', '2', '1Gi'), []), nodeFree(node('n2', '1', '8Gi'), [])];
    expect(partyFitProblem('bob', { cpu: CORE, memory: 4n * GI }, nodes)).toBeUndefined();
  });

  it('names the domain and the resource that fits nowhere', () => {
    const nodes = [nodeFree(node('n1', '4', '8Gi'), [pod('1', '0')])];
    expect(partyFitProblem('bob', { cpu: 64n * CORE, memory: GI }, nodes)).toBe('insufficient cpu in domain bob: requests 64, largest free 3');
    expect(partyFitProblem('bob', { cpu: CORE, memory: 16n * GI }, nodes)).toBe('insufficient memory in domain bob: requests 16Gi, largest free 8Gi');
    const split = [nodeFree(node('n1', '4', '1Gi'), []), nodeFree(node('n2', '1', '8Gi'), [])];
    expect(partyFitProblem('bob', { cpu: 2n * CORE, memory: 2n * GI }, split)).toBe(
      'insufficient resources in domain bob: no Ready node has cpu 2 and memory 2Gi free at once',
    );
    expect(partyFitProblem('bob', { cpu: 0n, memory: 0n }, [])).toBe('no Ready node in domain bob');
  });

  it('knows a Ready node', () => {
    expect(isNodeReady(node('n', '1', '1Gi'))).toBe(true);
    expect(isNodeReady(node('n', '1', '1Gi', false))).toBe(false);
    expect(isNodeReady({ metadata: { name: 'n' } })).toBe(false);
  });
});
