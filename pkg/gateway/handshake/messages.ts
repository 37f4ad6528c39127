/**
 * The handshake's wire messages (Kuscia proto/api/v1alpha1/handshake/handshake.proto), encoded as
 * Kuscia's gateway sends them: encoding/json over the generated structs, so snake_case keys with
 * omitempty (a success reply's status is `{}` because code 0 is left out) and a trailing newline
 * from json.Encoder.
 */
import { GoStructReader, goJsonObject, goJsonString, omitEmptyString, omitZeroInt, parseGoJson } from './go-json.ts';

/** `type` of a HandShakeRequest: RSA for tokenGenMethod RSA-GEN, UID for the deprecated UID-RSA-GEN. */
export const HandshakeType = { RSA: 'RSA', UID: 'UID' } as const;

export interface HandshakeTokenConfig {
  /** The source's 16 bytes, encrypted for the destination (base64). */
  token: string;
  /** The source's current revision (informational; the destination picks the next one). */
  revision: bigint;
  /** base64(sha256(source public key PEM)): which source key the destination must have. */
  pubhash: string;
}

export interface HandshakeRequest {
  /** The source domain. */
  domainId: string;
  type: string;
  tokenConfig?: HandshakeTokenConfig;
  /** Unix nanoseconds. */
  requestTime: bigint;
}

export interface HandshakeStatus {
  /** 0 = success; Kuscia's destination answers 500 for every failure (with HTTP 200). */
  code: number;
  message: string;
}

export interface HandshakeToken {
  /** The destination's half (RSA) or the whole token (UID), encrypted for the source (base64). */
  token: string;
  /** Unix nanoseconds. */
  expirationTime: bigint;
  revision: number;
}

export interface HandshakeResponse {
  status: HandshakeStatus;
  token?: HandshakeToken;
}

/** Heartbeat (GET) states, as Kuscia's DestinationStatus iota. */
export const DestinationState = {
  TokenReady: 0,
  DomainIDInputInvalid: 1,
  TokenRevisionInputInvalid: 2,
  TokenNotReady: 3,
  TokenNotFound: 4,
  NoAuthentication: 5,
  InternalError: 6,
  NetworkUnreachable: 7,
} as const;
export type DestinationState = (typeof DestinationState)[keyof typeof DestinationState];

export interface HeartbeatReply {
  /** The destination domain. */
  namespace: string;
  state: DestinationState;
}

export function encodeHandshakeRequest(req: HandshakeRequest): string {
  const tc = req.tokenConfig;
  return goJsonObject([
    ['domain_id', omitEmptyString(req.domainId)],
    ['type', omitEmptyString(req.type)],
    ['token_config', tc && goJsonObject([['token', omitEmptyString(tc.token)], ['revision', omitZeroInt(tc.revision)], ['pubhash', omitEmptyString(tc.pubhash)]])],
    ['request_time', omitZeroInt(req.requestTime)],
  ]);
}

/** Throws GoJsonDecodeError with Go's message for what encoding/json would refuse. */
export function decodeHandshakeRequest(text: string): HandshakeRequest {
  const r = new GoStructReader(parseGoJson(text), 'handshake.HandShakeRequest', 'HandShakeRequest');
  const tc = r.struct('token_config', 'handshake.TokenConfig');
  const req: HandshakeRequest = { domainId: r.string('domain_id'), type: r.string('type'), requestTime: r.int('request_time', 64) };
  if (tc) req.tokenConfig = { token: tc.string('token'), revision: tc.int('revision', 64), pubhash: tc.string('pubhash') };
  return req;
}

/** As json.Encoder writes it (newline-terminated). */
export function encodeHandshakeResponse(resp: HandshakeResponse): string {
  const t = resp.token;
  return (
    goJsonObject([
      ['status', goJsonObject([['code', omitZeroInt(resp.status.code)], ['message', omitEmptyString(resp.status.message)]])],
      ['token', t && goJsonObject([['token', omitEmptyString(t.token)], ['expiration_time', omitZeroInt(t.expirationTime)], ['revision', omitZeroInt(t.revision)]])],
    ]) + '\n'
  );
}

export function decodeHandshakeResponse(text: string): HandshakeResponse {
  const r = new GoStructReader(parseGoJson(text), 'handshake.HandShakeResponse', 'HandShakeResponse');
  const status = r.struct('status', 'v1alpha1.Status');
  const token = r.struct('token', 'handshake.Token');
  const resp: HandshakeResponse = { status: { code: Number(status?.int('code', 32) ?? 0n), message: status?.string('message') ?? '' } };
  if (token) resp.token = { token: token.string('token'), expirationTime: token.int('expiration_time', 64), revision: Number(token.int('revision', 32)) };
  return resp;
}

export function failedHandshakeResponse(message: string, code = 500): HandshakeResponse {
  return { status: { code, message } };
}

/** `{"namespace":"bob","state":0}` plus newline (no omitempty on these fields). */
export function encodeHeartbeatReply(reply: HeartbeatReply): string {
  return `${goJsonObject([['namespace', goJsonString(reply.namespace)], ['state', String(reply.state)]])}\n`;
}

export function decodeHeartbeatReply(text: string): HeartbeatReply {
  const r = new GoStructReader(parseGoJson(text), 'controller.getResponse', 'getResponse');
  return { namespace: r.string('namespace'), state: Number(r.int('state', 64)) as DestinationState };
}
