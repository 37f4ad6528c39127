export { decodeKubernetesProtobuf, PROTOBUF_CONTENT_TYPE } from './decode.ts';
export { ProtobufDecodeError } from './errors.ts';
export type { JsonObject, JsonValue } from './json-value.ts';
