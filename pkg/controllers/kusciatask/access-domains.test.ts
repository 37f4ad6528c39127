import { describe, expect, it } from 'vitest';
import type { PartyInfo } from '../../crd/index.ts';
import { portAccessDomains } from './access-domains.ts';
import type { NamedPort } from './party-ports.ts';

const parties: PartyInfo[] = [
  { domainID: 'alice', appImageRef: 'img', role: 'client' },
  { domainID: 'bob', appImageRef: 'img', role: 'server' },
  { domainID: 'carol', appImageRef: 'img', role: 'client' },
  { domainID: 'alice', appImageRef: 'img', role: 'server' },
];
const ports: NamedPort[] = [
  { name: 'spu', declaredPort: 0, protocol: 'GRPC', scope: 'Cluster' },
  { name: 'fed', declaredPort: 0, protocol: 'HTTP', scope: 'Cluster' },
  { name: 'inner', declaredPort: 0, protocol: 'HTTP', scope: 'Domain' },
  { name: 'local', declaredPort: 0, protocol: 'HTTP', scope: 'Local' },
];

describe('portAccessDomains', () => {
  it('opens Cluster ports to every domain of the task without a network policy', () => {
    expect(portAccessDomains(parties, undefined, ports)).toEqual({ spu: 'alice,bob,carol', fed: 'alice,bob,carol' });
  });

  it('maps the roles of the network policy to their domains', () => {
    const policy = {
      ingresses: [
        { from: { roles: ['client'] }, ports: [{ port: 'spu' }] },
        { from: { roles: ['server'] }, ports: [{ port: 'spu' }, { port: 'inner' }] },
      ],
    };
    expect(portAccessDomains(parties, policy, ports)).toEqual({ spu: 'alice,carol,bob', inner: 'bob,alice' });
  });
});
