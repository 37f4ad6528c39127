import type protobuf from 'protobufjs';
import { ProtobufDecodeError } from './errors.ts';

/** `k8s` + encoding byte 0x00 (= the rest is a runtime.Unknown), protobuf.go's protoEncodingPrefix. */
export const PROTOBUF_MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

export interface KubernetesEnvelope {
  apiVersion: string;
  kind: string;
  /** gogo-protobuf encoding of the typed object. */
  raw: Uint8Array;
}

/** Unwraps the `k8s\x00` + runtime.Unknown envelope, with kube-apiserver's error wording. */
export function openEnvelope(body: Uint8Array, unknownType: protobuf.Type): KubernetesEnvelope {
  if (body.length === 0) throw new ProtobufDecodeError('empty data');
  if (body.length < PROTOBUF_MAGIC.length || !PROTOBUF_MAGIC.equals(body.subarray(0, PROTOBUF_MAGIC.length))) {
    throw new ProtobufDecodeError('provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');
  }
  if (body.length === PROTOBUF_MAGIC.length) throw new ProtobufDecodeError('empty body');

  let unknown: Record<string, unknown>;
  try {
    unknown = unknownType.decode(body.subarray(PROTOBUF_MAGIC.length)) as unknown as Record<string, unknown>;
  } catch (err) {
    throw new ProtobufDecodeError(`invalid protobuf envelope: ${(err as Error).message}`, 'malformed', { cause: err });
  }
  const typeMeta = (unknown.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
  const contentEncoding = typeof unknown.contentEncoding === 'string' ? unknown.contentEncoding : '';
  if (contentEncoding !== '') {
    throw new ProtobufDecodeError(`unsupported protobuf content encoding ${JSON.stringify(contentEncoding)}`);
  }
  const kind = typeMeta.kind ?? '';
  const apiVersion = typeMeta.apiVersion ?? '';
  if (kind === '') throw new ProtobufDecodeError(`Object 'Kind' is missing in protobuf body (apiVersion ${JSON.stringify(apiVersion)})`);
  if (apiVersion === '') throw new ProtobufDecodeError(`Object 'apiVersion' is missing in protobuf body (kind ${JSON.stringify(kind)})`);
  const raw = unknown.raw instanceof Uint8Array ? unknown.raw : new Uint8Array();
  return { apiVersion, kind, raw };
}
