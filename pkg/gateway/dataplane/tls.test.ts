import http2 from 'node:http2';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CertificateAuthority, createCertificateAuthority } from '../../apiserver/certs/certificate-authority.ts';
import { type CertificatePair, issueClientCertificate, issueServingCertificate } from '../../apiserver/certs/certificate.ts';
import { loadEnvoyProtos } from '../xds/envoy-protos.ts';
import { type DataPlane, startDataPlane } from './dataplane.ts';
import { type Body, HTTP2_UPSTREAM, listener, routeConfig, staticCluster } from './testing/envoy-resources.ts';
import { httpRequest } from './testing/http-client.ts';

const UPSTREAM_TLS = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext';
const DOWNSTREAM_TLS = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext';

function upstreamTls(caPem: string | undefined, san?: string): Body {
  const validationContext = {
    ...(caPem ? { trustedCa: { inlineString: caPem } } : {}),
    ...(san ? { matchTypedSubjectAltNames: [{ sanType: 'DNS', matcher: { exact: san } }] } : {}),
  };
  return { transportSocket: { name: 'envoy.transport_sockets.tls', typedConfig: { '@type': UPSTREAM_TLS, sni: 'peer.example', commonTlsContext: { validationContext } } } };
}

describe('built-in data plane: TLS', () => {
  let ca: CertificateAuthority;
  let otherCa: CertificateAuthority;
  let serving: CertificatePair;
  let client: CertificatePair;
  let upstream: https.Server;
  let upstreamH2: http2.Http2SecureServer;
  let dp: DataPlane;
  let plainPort: number;

  beforeAll(async () => {
    [ca, otherCa] = await Promise.all([createCertificateAuthority({ commonName: 'test-ca' }), createCertificateAuthority({ commonName: 'other-ca' })]);
    serving = await issueServingCertificate(ca, { commonName: 'peer', sans: ['peer.example', '127.0.0.1'] });
    client = await issueClientCertificate(ca, { commonName: 'alice' });
    upstream = https.createServer({ cert: serving.certPem, key: serving.keyPem }, (req, res) => {
      res.end(JSON.stringify({ sni: (req.socket as TLSSocket).servername, protocol: req.httpVersion }));
    });
    upstreamH2 = http2.createSecureServer({ cert: serving.certPem, key: serving.keyPem }, (req, res) => res.end(JSON.stringify({ protocol: req.httpVersion })));
    await Promise.all([
      new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r)),
      new Promise<void>((r) => upstreamH2.listen(0, '127.0.0.1', r)),
    ]);
    const port = (upstream.address() as AddressInfo).port;
    const h2Port = (upstreamH2.address() as AddressInfo).port;
    dp = await startDataPlane({ nodeId: 'test', log: pino({ level: 'silent' }), protos: await loadEnvoyProtos() });
    await dp.applyResources([
      staticCluster('verified', [{ port }], upstreamTls(ca.certPem, 'peer.example')),
      staticCluster('verified-h2', [{ port: h2Port }], { ...upstreamTls(ca.certPem), ...HTTP2_UPSTREAM }),
      staticCluster('wrong-ca', [{ port }], upstreamTls(otherCa.certPem)),
      staticCluster('wrong-san', [{ port }], upstreamTls(ca.certPem, 'someone.else')),
      staticCluster('unverified', [{ port }], upstreamTls(undefined)),
      listener('plain', 0),
      routeConfig('plain-route', [
        {
          name: 'all',
          domains: ['*'],
          routes: ['verified', 'verified-h2', 'wrong-ca', 'wrong-san', 'unverified'].map((c) => ({ match: { path: `/${c}` }, route: { cluster: c } })),
        },
      ]),
    ]);
    plainPort = dp.listeners()[0].port;
  });

  afterAll(async () => {
    await dp?.stop();
    upstream?.close();
    upstreamH2?.close();
  });

  it('verifies the upstream against the trusted CA and SAN, sending the configured SNI', async () => {
    const res = await httpRequest(plainPort, { path: '/verified' });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ sni: 'peer.example', protocol: '1.1' });
    const h2 = await httpRequest(plainPort, { path: '/verified-h2' });
    expect(JSON.parse(h2.body)).toEqual({ protocol: '2.0' });
  });

  it('refuses an upstream certificate from another CA or without the expected SAN', async () => {
    for (const path of ['/wrong-ca', '/wrong-san']) {
      const res = await httpRequest(plainPort, { path });
      expect(res.status).toBe(503);
      expect(res.body).toContain('reset reason: connection failure');
    }
  });

  it('does not verify an upstream when no validation context is given (Envoy default)', async () => {
    expect((await httpRequest(plainPort, { path: '/unverified' })).status).toBe(200);
  });

  it('serves a TLS listener that requires a client certificate, over HTTP/1.1 and HTTP/2 (ALPN)', async () => {
    const tlsListener = listener('mtls', 0);
    const chain = (tlsListener.body.filterChains as Body[])[0];
    chain.transportSocket = {
      name: 'envoy.transport_sockets.tls',
      typedConfig: {
        '@type': DOWNSTREAM_TLS,
        requireClientCertificate: { value: true },
        commonTlsContext: {
          tlsCertificates: [{ certificateChain: { inlineString: serving.certPem }, privateKey: { inlineString: serving.keyPem } }],
          validationContext: { trustedCa: { inlineString: ca.certPem } },
        },
      },
    };
    await dp.applyResources([
      listener('plain', 0),
      tlsListener,
      routeConfig('mtls-route', [{ name: 'all', domains: ['*'], routes: [{ match: { prefix: '/' }, route: { cluster: 'verified' } }] }]),
    ]);
    const port = dp.listeners().find((l) => l.name === 'mtls')?.port ?? 0;
    const withCert = await new Promise<string>((resolve, reject) => {
      https
        .get({ host: '127.0.0.1', port, path: '/', ca: ca.certPem, cert: client.certPem, key: client.keyPem, servername: 'peer.example', agent: false }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c));
          res.on('end', () => resolve(body));
        })
        .on('error', reject);
    });
    expect(JSON.parse(withCert).sni).toBe('peer.example');
    const withoutCert = await new Promise<string>((resolve) => {
      https.get({ host: '127.0.0.1', port, path: '/', ca: ca.certPem, servername: 'peer.example', agent: false }, () => resolve('answered')).on('error', (e) => resolve(`refused: ${e.message}`));
    });
    expect(withoutCert).toMatch(/^refused/);
    const session = http2.connect(`https://127.0.0.1:${port}`, { ca: ca.certPem, cert: client.certPem, key: client.keyPem, servername: 'peer.example' });
    try {
      const status = await new Promise<number>((resolve, reject) => {
        const stream = session.request({ ':path': '/' });
        stream.on('response', (h) => resolve(Number(h[':status'])));
        stream.on('error', reject);
        stream.resume();
      });
      expect(status).toBe(200);
      expect(session.alpnProtocol).toBe('h2');
    } finally {
      session.close();
    }
  });
});
