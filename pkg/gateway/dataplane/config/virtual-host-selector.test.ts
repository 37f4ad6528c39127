import { describe, expect, it } from 'vitest';
import { XdsConfigError } from './config-error.ts';
import { VirtualHostSelector } from './virtual-host-selector.ts';

describe('virtual host selection (Envoy search order)', () => {
  const selector = new VirtualHostSelector<string>();
  for (const [domain, name] of [
    ['engine.alice.svc', 'exact'],
    ['*.alice.svc', 'alice-suffix'],
    ['*.svc', 'svc-suffix'],
    ['engine.*', 'prefix'],
    ['*', 'default'],
  ]) selector.add(domain, name, 'test');

  it('prefers exact, then the longest suffix wildcard, then prefix wildcards, then *', () => {
    expect(selector.select('engine.alice.svc')).toBe('exact');
    expect(selector.select('ENGINE.Alice.svc')).toBe('exact');
    expect(selector.select('data.alice.svc')).toBe('alice-suffix');
    expect(selector.select('data.bob.svc')).toBe('svc-suffix');
    expect(selector.select('engine.example')).toBe('prefix');
    expect(selector.select('other')).toBe('default');
  });

  it('does not let a wildcard match an empty string', () => {
    expect(selector.select('.alice.svc')).toBe('svc-suffix');
    expect(selector.select('engine.')).toBe('default');
  });

  it('refuses duplicate domains and wildcards in the middle', () => {
    const s = new VirtualHostSelector<string>();
    s.add('a.svc', 'a', 'test');
    expect(() => s.add('A.svc', 'b', 'test')).toThrow(XdsConfigError);
    expect(() => s.add('a.*.svc', 'c', 'test')).toThrow(/wildcard in the middle/);
  });
});
