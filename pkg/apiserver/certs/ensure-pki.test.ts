import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as x509 from './x509.ts';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensurePki, PKI_FILES } from './ensure-pki.ts';
import { issueClientCertificate } from './certificate.ts';
import { PkiError } from './errors.ts';
import { startHttpsServer } from './test-support.ts';

let dir: string;
beforeEach(async () => {
  dir = join(await mkdtemp(join(tmpdir(), 'pki-')), 'pki');
});
afterEach(async () => {
  await rm(join(dir, '..'), { recursive: true, force: true });
});

function get(opts: { host: string; port: number; servername?: string; ca: string; cert?: string; key?: string }) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request({ ...opts, path: '/', method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('ensurePki', () => {
  it('generates a CA, serving and admin certificates that Node TLS accepts in both directions', async () => {
    const pki = await ensurePki(dir, { bindAddress: '0.0.0.0', extraSans: ['kuscia-master', '10.1.2.3'] });
    const srv = await startHttpsServer(pki, (_req, res, peer) => {
      res.end(JSON.stringify(peer));
    });
    try {
      const withAdmin = await get({ host: '127.0.0.1', port: srv.port, ca: pki.ca.certPem, cert: pki.admin.certPem, key: pki.admin.keyPem });
      const peer = JSON.parse(withAdmin.body);
      expect(peer.authorized).toBe(true);
      expect(peer.subject).toMatchObject({ CN: 'admin', O: 'system:masters' });

      // Hostname verification against the SANs: localhost and the extra DNS name resolve to the same socket.
      const viaName = await get({ host: '127.0.0.1', servername: 'kuscia-master', port: srv.port, ca: pki.ca.certPem });
      expect(JSON.parse(viaName.body).authorized).toBe(false); // no client certificate presented
      await expect(get({ host: '127.0.0.1', servername: 'not-in-sans', port: srv.port, ca: pki.ca.certPem })).rejects.toThrow(/altnames|Hostname/i);

      // A certificate issued later for an agent is accepted as well.
      const agent = await issueClientCertificate(pki.authority, { commonName: 'system:node:alice', organizations: ['system:nodes'] });
      const asAgent = JSON.parse((await get({ host: '127.0.0.1', port: srv.port, ca: pki.ca.certPem, ...{ cert: agent.certPem, key: agent.keyPem } })).body);
      expect(asAgent).toMatchObject({ authorized: true, subject: { CN: 'system:node:alice', O: 'system:nodes' } });

      // The serving certificate is not a client certificate (ExtKeyUsage serverAuth only).
      const asServer = JSON.parse((await get({ host: '127.0.0.1', port: srv.port, ca: pki.ca.certPem, cert: pki.serving.certPem, key: pki.serving.keyPem })).body);
      expect(asServer.authorized).toBe(false);
    } finally {
      await srv.close();
    }
    // A client trusting another CA refuses the server.
    const other = await ensurePki(join(dir, '..', 'other'), { bindAddress: '127.0.0.1' });
    const srv2 = await startHttpsServer(pki, (_q, res) => res.end('x'));
    try {
      await expect(get({ host: '127.0.0.1', port: srv2.port, ca: other.ca.certPem })).rejects.toThrow(/self.signed|unable to verify|certificate/i);
    } finally {
      await srv2.close();
    }
  });

  it('puts the expected names, usages and lifetimes in the certificates', async () => {
    const pki = await ensurePki(dir, { bindAddress: '192.168.7.7', extraSans: ['kuscia.example.com'] });
    expect(pki.serving.sans).toEqual(expect.arrayContaining(['localhost', '127.0.0.1', '::1', '192.168.7.7', 'kuscia.example.com', 'kubernetes.default.svc']));
    const serving = new x509.X509Certificate(pki.serving.certPem);
    expect(serving.getExtension(x509.ExtendedKeyUsageExtension)?.usages).toEqual([x509.ExtendedKeyUsage.serverAuth]);
    const years = (c: x509.X509Certificate) => (c.notAfter.getTime() - c.notBefore.getTime()) / (365 * 86400_000);
    expect(years(serving)).toBeCloseTo(1, 1);
    const ca = new x509.X509Certificate(pki.ca.certPem);
    expect(ca.getExtension(x509.BasicConstraintsExtension)?.ca).toBe(true);
    expect(years(ca)).toBeCloseTo(10, 1);
    const admin = new x509.X509Certificate(pki.admin.certPem);
    expect(admin.subject).toBe('O=system:masters, CN=admin');
    expect(admin.getExtension(x509.ExtendedKeyUsageExtension)?.usages).toEqual([x509.ExtendedKeyUsage.clientAuth]);
  });

  it('writes keys 0600 in a 0700 directory and reuses everything on the next start', async () => {
    const first = await ensurePki(dir, { bindAddress: '127.0.0.1' });
    expect(first.generated).toHaveLength(4);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    for (const key of [PKI_FILES.caKey, PKI_FILES.servingKey, PKI_FILES.adminKey, PKI_FILES.kubeletClientKey]) {
      expect((await stat(join(dir, key))).mode & 0o777).toBe(0o600);
    }
    const second = await ensurePki(dir, { bindAddress: '127.0.0.1' });
    expect(second.generated).toEqual([]);
    expect(second.ca).toEqual(first.ca);
    expect(second.serving.certPem).toBe(first.serving.certPem);
    expect(second.admin).toEqual(first.admin);
    expect(second.kubeletClient).toEqual(first.kubeletClient);
    expect(new x509.X509Certificate(first.kubeletClient.certPem).subject).toBe('O=system:masters, CN=kube-apiserver-kubelet-client');
  });

  it('re-issues only the serving certificate when the SANs change', async () => {
    const first = await ensurePki(dir, { bindAddress: '127.0.0.1' });
    const second = await ensurePki(dir, { bindAddress: '127.0.0.1', extraSans: ['new.example.com'] });
    expect(second.generated).toEqual(['serving certificate: SANs changed']);
    expect(second.serving.certPem).not.toBe(first.serving.certPem);
    expect(second.serving.sans).toContain('new.example.com');
    expect(second.ca.certPem).toBe(first.ca.certPem);
    expect(second.admin.certPem).toBe(first.admin.certPem);
    expect(await readFile(join(dir, PKI_FILES.servingCert), 'utf8')).toBe(second.serving.certPem);
  });

  it('re-issues leaf certificates whose key was replaced', async () => {
    await ensurePki(dir, { bindAddress: '127.0.0.1' });
    const other = await ensurePki(join(dir, '..', 'other'), { bindAddress: '127.0.0.1' });
    await writeFile(join(dir, PKI_FILES.adminKey), other.admin.keyPem);
    const again = await ensurePki(dir, { bindAddress: '127.0.0.1' });
    expect(again.generated).toEqual(['admin client certificate: key does not match certificate']);
  });

  it('refuses to replace a CA whose key is missing', async () => {
    await ensurePki(dir, { bindAddress: '127.0.0.1' });
    await unlink(join(dir, PKI_FILES.caKey));
    await expect(ensurePki(dir, { bindAddress: '127.0.0.1' })).rejects.toBeInstanceOf(PkiError);
  });

  it.skipIf(!existsSync('/usr/bin/openssl'))('produces a chain openssl verifies with the right purposes', async () => {
    const pki = await ensurePki(dir, { bindAddress: '127.0.0.1' });
    const verify = (purpose: string, cert: string) =>
      execFileSync('openssl', ['verify', '-purpose', purpose, '-CAfile', join(dir, PKI_FILES.caCert), join(dir, cert)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(verify('sslserver', PKI_FILES.servingCert)).toMatch(/OK/);
    expect(verify('sslclient', PKI_FILES.adminCert)).toMatch(/OK/);
    expect(() => verify('sslserver', PKI_FILES.adminCert)).toThrow();
    expect(pki.serving.keyPem).toMatch(/BEGIN PRIVATE KEY/);
  });
});
