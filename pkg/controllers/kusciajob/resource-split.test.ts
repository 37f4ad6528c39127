import { describe, expect, it } from 'vitest';
import { QuantityParseError } from '../common/quantity.ts';
import { containerInstancesOf, ResourceSplitError, splitPartyResources, splitQuantityText } from './resource-split.ts';

describe('splitQuantityText (Kuscia SplitRSC vectors)', () => {
  it('splits decimal quantities in milli-units', () => {
    expect(splitQuantityText('1000', 5)).toBe('200');
    expect(splitQuantityText('200T', 2)).toBe('100T');
    expect(splitQuantityText('400M', 8)).toBe('50M');
    expect(splitQuantityText('1', 3)).toBe('333m'); // truncates, never over-commits
    expect(splitQuantityText('2', 4)).toBe('500m');
    expect(splitQuantityText('1m', 2)).toBe('0');
  });

  it('splits binary quantities in bytes and writes them one unit down', () => {
    expect(splitQuantityText('100Pi', 1)).toBe('102400Ti');
    expect(splitQuantityText('300Gi', 4)).toBe('76800Mi');
    expect(splitQuantityText('500Ki', 16)).toBe('32000');
    expect(splitQuantityText('0.5Pi', 32)).toBe('16384Gi');
    expect(splitQuantityText('4Gi', 2)).toBe('2048Mi');
    expect(splitQuantityText('3Mi', 3)).toBe('1024Ki');
    expect(splitQuantityText('1Mi', 2)).toBe('512Ki'); // below 1Mi: Set(bytes) keeps the binary format
  });

  it('rounds the re-formatted unit half to even, as Go formats %.0f', () => {
    // 1Gi/3 = 357913941.33 bytes = 349525.33Ki
    expect(splitQuantityText('1Gi', 3)).toBe('349525Ki');
    // 3.5Ki is below the 1Mi threshold: the byte count is kept
    expect(splitQuantityText('3.5Ki', 1)).toBe('3584');
    // 2.5Mi exactly (≥ 1Mi) → 2560Ki; 1Gi+512Mi = 1536Mi
    expect(splitQuantityText('2.5Mi', 1)).toBe('2560Ki');
    expect(splitQuantityText('1.5Gi', 1)).toBe('1536Mi');
    // 1Gi + 0.5Mi: tie at 1024.5Mi → even 1024; 1Gi + 1.5Mi: 1025.5 → 1026
    expect(splitQuantityText('1049088Ki', 1)).toBe('1024Mi');
    expect(splitQuantityText('1050112Ki', 1)).toBe('1026Mi');
  });

  it('treats exponent quantities like binary ones (Kuscia only special-cases DecimalSI)', () => {
    expect(splitQuantityText('1e9', 1)).toBe('976562Ki'); // 976562.5 → even
    expect(splitQuantityText('1e3', 2)).toBe('500');
    expect(splitQuantityText('4e6', 2)).toBe('1953Ki'); // 2e6 bytes = 1953.125Ki
  });

  it('refuses zero instances with a typed error instead of dividing by zero', () => {
    expect(() => splitQuantityText('1', 0, 'cpu')).toThrow(ResourceSplitError);
    expect(() => splitQuantityText('1', -1)).toThrow(ResourceSplitError);
    expect(() => splitQuantityText('1', 1.5)).toThrow(ResourceSplitError);
  });

  it('refuses malformed quantities', () => {
    expect(() => splitQuantityText('100KB', 32)).toThrow(QuantityParseError);
  });
});

describe('splitPartyResources', () => {
  it('divides limits and requests of cpu, memory and bandwidth over every container instance', () => {
    const split = splitPartyResources(
      {
        limits: { cpu: '2', memory: '4Gi', 'kuscia.io/bandwidth': '100' },
        requests: { cpu: '1', memory: '3Gi' },
      },
      4,
    );
    expect(split).toEqual({
      limits: { cpu: '500m', memory: '1Gi', 'kuscia.io/bandwidth': '25' },
      requests: { cpu: '250m', memory: '768Mi' },
    });
  });

  it('stores canonical quantities (what the API server would print)', () => {
    expect(splitPartyResources({ limits: { memory: '300Gi' } }, 4)).toEqual({ limits: { memory: '75Gi' } });
    expect(splitPartyResources({ limits: { cpu: 3 } }, 2)).toEqual({ limits: { cpu: '1500m' } });
    expect(splitPartyResources({ requests: { cpu: '1500m' } }, 1)).toEqual({ requests: { cpu: '1500m' } });
  });

  it('splits the canonical form: 0.5Ki is stored as decimal 512 and divides in milli-units', () => {
    expect(splitPartyResources({ limits: { memory: '0.5Ki' } }, 3)).toEqual({ limits: { memory: '170666m' } });
  });

  it('drops resources Kuscia does not split', () => {
    expect(splitPartyResources({ limits: { cpu: '1', 'nvidia.com/gpu': '1', 'ephemeral-storage': '1Gi' } }, 1)).toEqual({
      limits: { cpu: '1' },
    });
    expect(splitPartyResources({ limits: { 'nvidia.com/gpu': '1' } }, 1)).toEqual({});
  });

  it('asks for nothing when the party gave no resources', () => {
    expect(splitPartyResources(undefined, 0)).toBeUndefined();
    expect(splitPartyResources({}, 0)).toBeUndefined();
  });

  it('fails with a typed error when the template has no containers', () => {
    expect(() => splitPartyResources({ limits: { cpu: '1' } }, 0)).toThrow(ResourceSplitError);
  });

  it('counts containers × replicas, replicas defaulting to 1', () => {
    expect(containerInstancesOf({ spec: { containers: [{}, {}] } })).toBe(2);
    expect(containerInstancesOf({ replicas: 3, spec: { containers: [{}, {}] } })).toBe(6);
    expect(containerInstancesOf({ replicas: 2, spec: {} })).toBe(0);
  });
});
