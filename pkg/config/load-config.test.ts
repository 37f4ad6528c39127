import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ConfigError } from './config-error.ts';
import { encodeDomainKey } from './domain-key.ts';
import { parseKusciaConfig } from './load-config.ts';
import { checkStartable } from './start-support.ts';

const rsaPem = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const ecPem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const path = '/etc/kuscia/kuscia.yaml';

function load(fields: Record<string, unknown>, env: NodeJS.ProcessEnv = {}) {
  return parseKusciaConfig(stringify({ mode: 'autonomy', domainID: 'alice', domainKeyData: encodeDomainKey(rsaPem), ...fields }), { path, env });
}

function errorOf(fields: Record<string, unknown>): string {
  try {
    load(fields);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('kuscia.yaml', () => {
  it('takes Kuscia field names, case-insensitive enums and defaults', () => {
    const config = load({ mode: 'Lite', logLevel: 'DEBUG', protocol: 'notls', masterEndpoint: 'https://master:18080', liteDeployToken: 'abc', capacity: { cpu: 4, memory: '8Gi' }, reservedResources: { cpu: '500m' } }, { KUSCIA_HOME: '/var/kuscia' });
    expect(config).toMatchObject({
      mode: 'lite',
      domainID: 'alice',
      domainKeyPem: rsaPem,
      logLevel: 'debug',
      protocol: 'NOTLS',
      runtime: 'runp',
      capacity: { cpu: '4', memory: '8Gi' },
      reservedResources: { cpu: '500m' },
      masterEndpoint: 'https://master:18080',
      liteDeployToken: 'abc',
      home: '/var/kuscia',
      agent: { nodeName: 'kuscia-lite-alice', keepNodeOnExit: false, leaseDurationSeconds: 40 },
      apiserver: { port: 6443 },
      controllers: { nodeMonitorGracePeriodSeconds: 40 },
      gateway: { enabled: true, externalPort: 1080, internalPort: 0, listenAddress: '0.0.0.0', dataPlane: 'builtin', envoyAdminPort: 0 },
    });
  });

  it('resolves a relative home against the file, ahead of KUSCIA_HOME', () => {
    expect(load({ home: 'state' }, { KUSCIA_HOME: '/elsewhere' }).home).toBe('/etc/kuscia/state');
  });

  it('names the field of every invalid setting in one line', () => {
    expect(errorOf({ domainID: 'Alice_1' })).toBe('kuscia.yaml: domainID: "Alice_1" is not a valid RFC 1123 label (lower-case letters, digits and \'-\', at most 63)');
    expect(errorOf({ domainID: 'master' })).toBe('kuscia.yaml: domainID: "master" is reserved');
    expect(errorOf({ mode: 'center' })).toBe('kuscia.yaml: mode: "center" is not one of master, lite, autonomy');
    expect(errorOf({ mode: undefined })).toBe('kuscia.yaml: mode: required (master, lite or autonomy)');
    expect(errorOf({ domainKeyData: 'not base64!' })).toMatch(/^kuscia\.yaml: domainKeyData: is not base64/);
    expect(errorOf({ domainKeyData: encodeDomainKey(ecPem) })).toBe('kuscia.yaml: domainKeyData: must be an RSA key, not ec');
    expect(errorOf({ runtime: 'docker' })).toBe('kuscia.yaml: runtime: "docker" is not one of runp, runc, runk');
    expect(errorOf({ mode: 'lite' })).toMatch(/^kuscia\.yaml: masterEndpoint: required in lite mode/);
    expect(errorOf({ masterEndpoint: 'http://master:18080' })).toBe('kuscia.yaml: masterEndpoint: "http://master:18080" must be an https:// URL');
    expect(errorOf({ capacity: { memory: 'lots' } })).toBe('kuscia.yaml: capacity.memory: "lots" is not a non-negative quantity (e.g. 4, 500m, 8Gi)');
    expect(errorOf({ agent: { keepNodeOnExit: 'yes' } })).toBe('kuscia.yaml: agent.keepNodeOnExit: must be true or false, not string "yes"');
    expect(errorOf({ apiserver: { port: 70000 } })).toBe('kuscia.yaml: apiserver.port: 70000 is not a port number (0-65535)');
    expect(errorOf({ agent: [] })).toBe('kuscia.yaml: agent: must be a mapping, not a list');
    expect(errorOf({ gateway: { dataPlane: 'nginx' } })).toBe('kuscia.yaml: gateway.dataPlane: "nginx" is not one of builtin, envoy');
    expect(errorOf({ gateway: { externalPort: 70000 } })).toBe('kuscia.yaml: gateway.externalPort: 70000 is not a port number (0-65535)');
    expect(errorOf({ agent: { leaseDurationSeconds: 2 } })).toBe('kuscia.yaml: agent.leaseDurationSeconds: 2 is not a whole number of seconds >= 4');
    expect(errorOf({ controllers: { nodeMonitorGracePeriodSeconds: '40s' } })).toBe('kuscia.yaml: controllers.nodeMonitorGracePeriodSeconds: "40s" is not a whole number of seconds >= 1');
  });

  it('refuses what the schema accepts but this build cannot run yet, at start', () => {
    expect(checkStartable(load({ runtime: 'RunC' }), path)?.message).toBe('kuscia.yaml: runtime: runc is not available yet in this build (use runp)');
    expect(checkStartable(load({ mode: 'master', runtime: 'runk' }), path)).toBeUndefined();
    expect(checkStartable(load({ datastoreEndpoint: 'mysql://u:p@tcp(db:3306)/k' }), path)?.message).toMatch(/^kuscia\.yaml: datastoreEndpoint: only the embedded SQLite/);
  });

  it('refuses text that is not a mapping', () => {
    expect(() => parseKusciaConfig('- a\n- b\n', { path })).toThrow('kuscia.yaml: must be a YAML mapping of settings');
  });
});
