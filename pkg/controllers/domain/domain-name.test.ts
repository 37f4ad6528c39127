import { describe, expect, it } from 'vitest';
import { invalidDomainNameMessage } from './domain-name.ts';

describe('invalidDomainNameMessage', () => {
  it('accepts RFC 1123 labels', () => {
    expect(invalidDomainNameMessage('alice')).toBeUndefined();
    expect(invalidDomainNameMessage('org-1')).toBeUndefined();
  });

  it.each(['master', 'default', 'kube-system', 'kube-public', 'kube-node-lease', 'cross-domain'])('refuses the reserved name %s', (name) => {
    expect(invalidDomainNameMessage(name)).toMatch(`domain name "${name}" is reserved`);
  });

  it('refuses names a namespace cannot have, naming the rule', () => {
    expect(invalidDomainNameMessage('alice.bob')).toBe('domain name "alice.bob" is not a valid RFC 1123 label: must not contain dots');
    expect(invalidDomainNameMessage('a'.repeat(64))).toMatch('must be no more than 63 characters');
    expect(invalidDomainNameMessage('-x')).toMatch("regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?'");
  });
});
