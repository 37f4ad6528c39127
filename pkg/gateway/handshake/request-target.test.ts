import { describe, expect, it } from 'vitest';
import type { DomainPort, DomainRoute, Transit } from '../../crd/index.ts';
import { handshakeClusterName, handshakeHost, handshakePath, handshakeRequestHeaders } from './request-target.ts';

const route = (ports: DomainPort[], transit?: Transit, destination = 'bob'): DomainRoute => ({
  metadata: { name: `alice-${destination}`, namespace: 'alice' },
  spec: { source: 'alice', destination, authenticationType: 'Token', endpoint: { host: 'gw', ports }, ...(transit ? { transit } : {}) },
});
const http = (name: string, pathPrefix?: string): DomainPort => ({ name, protocol: 'HTTP', port: 1080, ...(pathPrefix ? { pathPrefix } : {}) });
const grpc = (name: string): DomainPort => ({ name, protocol: 'GRPC', port: 1081 });

describe('where handshake requests go', () => {
  it('uses the only port, else the first HTTP port, else the first GRPC port', () => {
    expect(handshakeClusterName(route([grpc('g')]))).toBe('alice-to-bob-g');
    expect(handshakeClusterName(route([grpc('g'), http('h1'), http('h2')]))).toBe('alice-to-bob-h1');
    expect(handshakeClusterName(route([grpc('g1'), grpc('g2')]))).toBe('alice-to-bob-g1');
  });

  it('takes the path prefix of the first port (trailing slash dropped), or the master proxy path towards the master', () => {
    expect(handshakePath(route([http('h', '/gw/')]))).toBe('/gw/handshake');
    expect(handshakePath(route([http('h')]))).toBe('/handshake');
    const master = { namespace: 'kuscia-system', pathPrefix: '/master' };
    expect(handshakePath(route([http('h', '/gw')], undefined, 'kuscia-system'), master)).toBe('/master/handshake');
    expect(handshakeClusterName(route([http('h')], undefined, 'kuscia-system'), master)).toBe('service-masterproxy');
  });

  it('addresses kuscia-handshake.<dst>.svc, or the transit domain’s for THIRD-DOMAIN transit', () => {
    expect(handshakeHost(route([http('h')]))).toBe('kuscia-handshake.bob.svc');
    expect(handshakeHost(route([http('h')], { domain: { domainID: 'carol' } }))).toBe('kuscia-handshake.carol.svc');
    expect(handshakeHost(route([http('h')], { transitMethod: 'REVERSE-TUNNEL', domain: { domainID: 'carol' } }))).toBe('kuscia-handshake.bob.svc');
  });

  it('carries Kuscia-Source, Kuscia-Host and Kuscia-Handshake-Cluster', () => {
    expect(handshakeRequestHeaders(route([http('h')]), undefined, { 'Kuscia-Token-Revision': '3' })).toEqual({
      'Content-Type': 'application/json',
      'Kuscia-Handshake-Cluster': 'alice-to-bob-h',
      'Kuscia-Source': 'alice',
      'Kuscia-Host': 'kuscia-handshake.bob.svc',
      'Kuscia-Token-Revision': '3',
    });
  });
});
