import { describe, expect, it } from 'vitest';
import type { PartyKit } from './party-kit.ts';
import { allocatedPortsConfig, clusterDefineParty, podClusterDefine, toProtoJson } from './cluster-define.ts';

const kit = (domainID: string, role: string, pods: number): PartyKit => {
  const ports = [
    { name: 'spu', declaredPort: 0, protocol: 'GRPC' as const, scope: 'Cluster' as const },
    { name: 'inner', declaredPort: 0, protocol: 'HTTP' as const, scope: 'Domain' as const },
    { name: 'local', declaredPort: 0, protocol: 'HTTP' as const, scope: 'Local' as const },
  ];
  return {
    domainID,
    role,
    partner: false,
    image: 'img:1',
    template: { name: 't', spec: {} },
    minReservedPods: pods,
    ports,
    servicedPorts: ports.slice(0, 2),
    pods: Array.from({ length: pods }, (_, i) => ({
      index: i,
      name: `task-${role}-${i}`,
      identity: `uid-${role}-${i}`,
      serviceNames: { spu: `task-${role}-${i}-spu`, inner: `task-${role}-${i}-inner` },
    })),
    configTemplates: {},
    portAccessDomains: {},
    bandwidthLimits: [],
  };
};

describe('ClusterDefine', () => {
  it('lists one endpoint per pod: name only for Cluster scope, with the port for Domain scope', () => {
    const party = clusterDefineParty(kit('alice', 'client', 2), [
      [{ name: 'spu', port: 20001, scope: 'Cluster', protocol: 'GRPC' }, { name: 'inner', port: 20002, scope: 'Domain', protocol: 'HTTP' }],
      [{ name: 'spu', port: 20003, scope: 'Cluster', protocol: 'GRPC' }, { name: 'inner', port: 20004, scope: 'Domain', protocol: 'HTTP' }],
    ]);
    expect(party).toEqual({
      name: 'alice',
      role: 'client',
      services: [
        { portName: 'spu', endpoints: ['task-client-0-spu.alice.svc', 'task-client-1-spu.alice.svc'] },
        { portName: 'inner', endpoints: ['task-client-0-inner.alice.svc:20002', 'task-client-1-inner.alice.svc:20004'] },
      ],
    });
  });

  it('serialises like protojson with EmitUnpopulated: every field, camelCase, proto order', () => {
    const empty = { ...kit('bob', '', 1), servicedPorts: [] };
    const json = toProtoJson(podClusterDefine([clusterDefineParty(empty, [[]])], 0, 0));
    expect(json).toBe('{"parties":[{"name":"bob","role":"","services":[]}],"selfPartyIdx":0,"selfEndpointIdx":0}');
    expect(toProtoJson(allocatedPortsConfig([]))).toBe('{"ports":[]}');
    expect(toProtoJson(allocatedPortsConfig([{ name: 'spu', port: 20001, scope: 'Cluster', protocol: 'GRPC' }]))).toBe(
      '{"ports":[{"name":"spu","port":20001,"scope":"Cluster","protocol":"GRPC"}]}',
    );
  });
});
