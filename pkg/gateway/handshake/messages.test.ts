import { describe, expect, it } from 'vitest';
import { GoJsonDecodeError } from './go-json.ts';
import {
  DestinationState,
  decodeHandshakeRequest,
  decodeHandshakeResponse,
  decodeHeartbeatReply,
  encodeHandshakeRequest,
  encodeHandshakeResponse,
  encodeHeartbeatReply,
  failedHandshakeResponse,
} from './messages.ts';

// What Kuscia's Go gateway puts on the wire (encoding/json over the protoc-gen-go structs).
const GO_REQUEST = '{"domain_id":"alice","type":"RSA","token_config":{"token":"dG9r","revision":3,"pubhash":"aGFzaA=="},"request_time":1700000000123456789}';

describe('HandShakeRequest', () => {
  it('encodes with snake_case keys in struct order and exact int64 nanoseconds', () => {
    const text = encodeHandshakeRequest({
      domainId: 'alice',
      type: 'RSA',
      tokenConfig: { token: 'dG9r', revision: 3n, pubhash: 'aGFzaA==' },
      requestTime: 1700000000123456789n,
    });
    expect(text).toBe(GO_REQUEST);
  });

  it('leaves out empty fields (omitempty): revision 0, no token_config for UID', () => {
    expect(encodeHandshakeRequest({ domainId: 'alice', type: 'UID', requestTime: 5n })).toBe('{"domain_id":"alice","type":"UID","request_time":5}');
    expect(encodeHandshakeRequest({ domainId: 'a', type: 'RSA', tokenConfig: { token: 't', revision: 0n, pubhash: 'p' }, requestTime: 1n })).toBe(
      '{"domain_id":"a","type":"RSA","token_config":{"token":"t","pubhash":"p"},"request_time":1}',
    );
  });

  it('decodes what Go sends, without losing nanoseconds', () => {
    expect(decodeHandshakeRequest(GO_REQUEST)).toEqual({
      domainId: 'alice',
      type: 'RSA',
      tokenConfig: { token: 'dG9r', revision: 3n, pubhash: 'aGFzaA==' },
      requestTime: 1700000000123456789n,
    });
  });

  it('matches keys case-insensitively and ignores unknown ones, as encoding/json does', () => {
    const req = decodeHandshakeRequest('{"DOMAIN_ID":"bob","Type":"UID","extra":[1,2]}');
    expect(req).toEqual({ domainId: 'bob', type: 'UID', requestTime: 0n });
  });

  it("refuses bodies Go refuses, with Go's messages", () => {
    expect(() => decodeHandshakeRequest('')).toThrow(new GoJsonDecodeError('EOF'));
    expect(() => decodeHandshakeRequest('[]')).toThrow('json: cannot unmarshal array into Go value of type handshake.HandShakeRequest');
    expect(() => decodeHandshakeRequest('{"domain_id":7}')).toThrow('json: cannot unmarshal number into Go struct field HandShakeRequest.domain_id of type string');
    expect(() => decodeHandshakeRequest('{"request_time":1.5}')).toThrow('json: cannot unmarshal number 1.5 into Go struct field HandShakeRequest.request_time of type int64');
    expect(() => decodeHandshakeRequest('{"token_config":{"revision":"1"}}')).toThrow(
      'json: cannot unmarshal string into Go struct field HandShakeRequest.token_config.revision of type int64',
    );
    expect(() => decodeHandshakeRequest('{"domain_id":')).toThrow(GoJsonDecodeError);
  });
});

describe('HandShakeResponse', () => {
  it('a success has status {} (code 0 omitted) and the token, newline-terminated like json.Encoder', () => {
    const text = encodeHandshakeResponse({ status: { code: 0, message: '' }, token: { token: 'ZW5j', expirationTime: 4858000000000000000n, revision: 2 } });
    expect(text).toBe('{"status":{},"token":{"token":"ZW5j","expiration_time":4858000000000000000,"revision":2}}\n');
    expect(decodeHandshakeResponse(text)).toEqual({ status: { code: 0, message: '' }, token: { token: 'ZW5j', expirationTime: 4858000000000000000n, revision: 2 } });
  });

  it('a failure is code 500 with the message and no token; HTML characters escaped as Go does', () => {
    const text = encodeHandshakeResponse(failedHandshakeResponse('domainRoute [a-b] not found in dest domain [<b>]'));
    expect(text).toBe('{"status":{"code":500,"message":"domainRoute [a-b] not found in dest domain [\\u003cb\\u003e]"}}\n');
    expect(decodeHandshakeResponse(text)).toEqual({ status: { code: 500, message: 'domainRoute [a-b] not found in dest domain [<b>]' } });
  });

  it('reads a reply without status as success code 0 (Go would see a nil status)', () => {
    expect(decodeHandshakeResponse('{}').status.code).toBe(0);
  });
});

describe('heartbeat reply', () => {
  it('is {"namespace","state"} without omitempty', () => {
    expect(encodeHeartbeatReply({ namespace: 'bob', state: DestinationState.TokenReady })).toBe('{"namespace":"bob","state":0}\n');
    expect(decodeHeartbeatReply('{"namespace":"bob","state":4}\n')).toEqual({ namespace: 'bob', state: DestinationState.TokenNotFound });
  });

  it('numbers the states as Kuscia does', () => {
    expect(Object.values(DestinationState)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
});
