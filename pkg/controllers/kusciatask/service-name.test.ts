import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateServiceName, ServiceNameError } from './service-name.ts';

const sha16 = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 16);

describe('generateServiceName (Kuscia GenerateServiceName)', () => {
  it('joins pod and port names when short', () => {
    expect(generateServiceName('service-test-11111111', 'domain')).toBe('service-test-11111111-domain');
    expect(generateServiceName('task-a-server-0', 'spu')).toBe('task-a-server-0-spu');
  });

  it('keeps a name of exactly 63 characters', () => {
    const name = generateServiceName('abc-012345678-012345678-012345678-012345678-012345678-01', 'domain');
    expect(name).toBe('abc-012345678-012345678-012345678-012345678-012345678-01-domain');
    expect(name).toHaveLength(63);
  });

  it('truncates a 64-character name to 63 with the hash of the full name', () => {
    const prefix = 'abc-012345678-012345678-012345678-012345678-012345678-012';
    const full = `${prefix}-domain`;
    expect(full).toHaveLength(64);
    const name = generateServiceName(prefix, 'domain');
    expect(name).toBe(`svc-abc-012345678-012345678-012345678-0-domain-${sha16(full)}`);
    expect(name).toHaveLength(63);
  });

  it('prefixes svc- when the name starts with a digit', () => {
    expect(generateServiceName('123-456-789', 'domain')).toBe('svc-123-456-789-domain');
    // 59 characters before the prefix: 63 with it, so no truncation.
    const exact = generateServiceName('12-012345678-012345678-012345678-012345678-012345678', 'domain');
    expect(exact).toBe('svc-12-012345678-012345678-012345678-012345678-012345678-domain');
    expect(exact).toHaveLength(63);
  });

  it('hashes the svc-prefixed name when a digit-led name overflows', () => {
    const prefix = '123-012345678-012345678-012345678-012345678-012345678';
    const name = generateServiceName(prefix, 'domain');
    expect(name).toBe(`svc-123-012345678-012345678-012345678-0-domain-${sha16(`svc-${prefix}-domain`)}`);
    expect(name).toHaveLength(63);
  });

  it('trims dashes around both parts', () => {
    expect(generateServiceName('-pod-0-', '-grpc-')).toBe('pod-0-grpc');
  });

  it('refuses a port name that leaves no room for the pod name', () => {
    expect(() => generateServiceName('p'.repeat(40), 'x'.repeat(41))).toThrow(ServiceNameError);
  });
});
