import type { GatewayState } from '../gateway-state.ts';

/** Tokens as the handshake makes them: base64 of 32 bytes. */
export const Tokens = {
  bobOldest: 'T0xERVNULWJvYi10b2tlbi0wMDAwMDAwMDAwMDAwMDA=',
  bobPrevious: 'UFJFVklPVVMtYm9iLXRva2VuLTAwMDAwMDAwMDAwMDA=',
  bobCurrent: 'Q1VSUkVOVC1ib2ItdG9rZW4tMDAwMDAwMDAwMDAwMDA=',
  aliceToBob: 'QUxJQ0UtdG8tYm9iLXRva2VuLTAwMDAwMDAwMDAwMDA=',
  master: 'TUFTVEVSLXRva2VuLTAwMDAwMDAwMDAwMDAwMDAwMDA=',
} as const;

/**
 * alice's gateway: routes out to bob (Token, two ports behind a path prefix, TLS), carol (Token,
 * handshake not done yet) and dave (MTLS); routes in from bob (three revisions seen), carol (None),
 * erin (Token, no token yet) and kuscia-system (with injected headers); services of every scope.
 */
export function aliceState(): GatewayState {
  return {
    domain: 'alice',
    instance: 'alice-gw-0',
    version: 'v1.1.0-ts',
    ports: { internal: 18081, external: 18082, handshake: 18083 },
    outbound: [
      {
        destination: 'bob',
        endpoint: {
          host: 'bob.example.com',
          ports: [
            { name: 'http', port: 1080, protocol: 'HTTP', pathPrefix: '/gw/bob/', isTLS: true },
            { name: 'grpc', port: 1081, protocol: 'GRPC' },
          ],
        },
        authenticationType: 'Token',
        token: Tokens.aliceToBob,
      },
      { destination: 'carol', endpoint: { host: '10.0.0.3', ports: [{ name: 'http', port: 1080, protocol: 'HTTP' }] }, authenticationType: 'Token' },
      { destination: 'dave', endpoint: { host: '10.0.0.4', ports: [{ name: 'http', port: 1080, protocol: 'HTTP' }] }, authenticationType: 'MTLS' },
    ],
    inbound: [
      { source: 'bob', acceptedTokens: [Tokens.bobOldest, Tokens.bobPrevious, Tokens.bobCurrent] },
      { source: 'carol', acceptedTokens: 'noop' },
      { source: 'erin', acceptedTokens: [] },
      { source: 'kuscia-system', acceptedTokens: [Tokens.master], requestHeadersToAdd: { Authorization: 'Bearer sa-token' } },
    ],
    services: [
      { name: 'engine-domain', ports: [{ name: 'domain', port: 20001 }], addresses: ['10.1.0.1'], domainScope: true },
      { name: 'engine-peers', ports: [{ name: 'cluster', port: 20002 }], addresses: ['10.1.0.1', '10.1.0.2'], accessDomains: ['bob'] },
      { name: 'open', ports: [{ name: 'http', port: 20003 }], addresses: ['10.1.0.3'] },
      { name: 'grpc-svc', protocol: 'GRPCS', ports: [{ name: 'grpc', port: 20004 }], addresses: ['10.1.0.4'] },
      { name: 'not-ready', ports: [{ name: 'http', port: 20005 }], addresses: [] },
    ],
  };
}
