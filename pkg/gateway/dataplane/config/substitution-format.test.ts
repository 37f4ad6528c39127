import { describe, expect, it } from 'vitest';
import { HeaderMap } from '../http/header-map.ts';
import { XdsConfigError } from './config-error.ts';
import { type FormatContext, FormatString } from './substitution-format.ts';

const ctx: FormatContext = {
  requestHeaders: HeaderMap.fromRaw([':authority', 'engine.bob.svc', 'x-b3-traceid', 'abc']),
  downstreamRemote: { address: '10.0.0.7', port: 51000 },
  downstreamLocal: { address: '::1', port: 1080 },
  protocol: 'HTTP/2',
  startTime: 0,
  responseCode: 401,
};

describe('format strings', () => {
  it('substitutes request headers (with an alternative), addresses and escapes %%', () => {
    expect(new FormatString('%REQ(:authority)%', 't').format(ctx, '')).toBe('engine.bob.svc');
    expect(new FormatString('%REQ(x-missing?x-b3-traceid)%', 't').format(ctx, '')).toBe('abc');
    expect(new FormatString('%REQ(:AUTHORITY):6%', 't').format(ctx, '')).toBe('engine');
    expect(new FormatString('%DOWNSTREAM_REMOTE_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS%', 't').format(ctx, '')).toBe('10.0.0.7:51000 [::1]:1080');
    expect(new FormatString('100%% %PROTOCOL%', 't').format(ctx, '')).toBe('100% HTTP/2');
  });

  it('renders a missing value as the caller says (empty in headers, "-" in bodies)', () => {
    expect(new FormatString('[%REQ(x-none)%]', 't').format(ctx, '')).toBe('[]');
    expect(new FormatString('[%REQ(x-none)%]', 't').format(ctx, '-')).toBe('[-]');
  });

  it('keeps the type of a lone command in JSON', () => {
    expect(new FormatString('%RESPONSE_CODE%', 't').formatJson(ctx)).toBe(401);
    expect(new FormatString('%REQ(x-none)%', 't').formatJson(ctx)).toBeNull();
  });

  it('refuses unknown commands and a stray %', () => {
    expect(() => new FormatString('%UPSTREAM_CLUSTER%', 't')).toThrow(XdsConfigError);
    expect(() => new FormatString('50% off', 't')).toThrow(/unexpected '%'/);
  });
});
