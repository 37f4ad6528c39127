import type protobuf from 'protobufjs';
import { openEnvelope } from './envelope.ts';
import { ProtobufDecodeError } from './errors.ts';
import type { JsonObject, JsonValue } from './json-value.ts';
import { protoMessageNameFor, supportedGroupVersions } from './kinds.ts';
import { kubernetesSchemas } from './schema-root.ts';
import { messageToJson } from './to-json.ts';
import type { ConversionContext } from './well-known-types.ts';

export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';

/**
 * Turns a `Content-Type: application/vnd.kubernetes.protobuf` request body into the JSON object
 * the client would have sent as `application/json`: apiVersion and kind from the envelope, then the
 * typed object with Kubernetes JSON field names and value forms (RFC 3339 times, quantities and
 * int-or-strings as scalars, bytes as base64).
 *
 * @throws ProtobufDecodeError for a body that is not a Kubernetes protobuf message, or whose
 *   group/version/kind has no vendored schema (`reason: 'unsupported-kind'`).
 */
export function decodeKubernetesProtobuf(body: Uint8Array, schemas: protobuf.Root = kubernetesSchemas()): JsonObject {
  const unknownType = schemas.lookupType('k8s.io.apimachinery.pkg.runtime.Unknown');
  const { apiVersion, kind, raw } = openEnvelope(body, unknownType);

  const type = lookupKind(schemas, apiVersion, kind);
  let message: Record<string, unknown>;
  try {
    message = type.decode(raw) as unknown as Record<string, unknown>;
  } catch (err) {
    throw new ProtobufDecodeError(`invalid protobuf ${apiVersion}, Kind=${kind}: ${(err as Error).message}`, 'malformed', { cause: err });
  }

  const ctx: ConversionContext = {
    decodeNested: (nested) => decodeKubernetesProtobuf(nested, schemas),
    convert: (t, m) => messageToJson(t, m, ctx),
  };
  let object: JsonValue;
  try {
    object = messageToJson(type, message, ctx);
  } catch (err) {
    if (err instanceof ProtobufDecodeError) throw err;
    throw new ProtobufDecodeError(`cannot convert protobuf ${apiVersion}, Kind=${kind} to JSON: ${(err as Error).message}`, 'malformed', { cause: err });
  }
  return { apiVersion, kind, ...(object as JsonObject) };
}

function lookupKind(schemas: protobuf.Root, apiVersion: string, kind: string): protobuf.Type {
  const name = protoMessageNameFor(apiVersion, kind);
  const type = name ? schemas.lookup(name) : null;
  // lookup() also finds namespaces and fields; only a message type (with fields) is a kind.
  if (!type || !('fieldsArray' in type)) {
    throw new ProtobufDecodeError(
      `no protobuf schema for ${apiVersion}, Kind=${kind} (protobuf request bodies are decoded for ${supportedGroupVersions().join(', ')}); send application/json instead`,
      'unsupported-kind',
    );
  }
  return type as protobuf.Type;
}
