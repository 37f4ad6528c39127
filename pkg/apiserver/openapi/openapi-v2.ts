import { etagOf, ifNoneMatchHits } from '../discovery/etag.ts';
import type { DocumentResponse } from '../discovery/respond.ts';

/**
 * `/openapi/v2`. client-go only fetches it as protobuf (a gnostic `openapi_v2.Document`) and kubectl
 * aborts `apply`/`create` with client-side validation when the fetch fails. We answer a minimal but
 * valid Document — `swagger`, `info` and empty `paths`, no definitions — so kubectl's client-side
 * validator knows no kinds and skips them ("resource is not present, let's just skip validation"),
 * leaving validation to the server (kubectl learns from /openapi/v3 that it honours fieldValidation).
 *
 * The response Content-Type must be the dotted form: Go's mime parser rejects the `@v1.0` spelling
 * clients put in Accept.
 */
export const OPENAPI_V2_PROTOBUF_CONTENT_TYPE = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

// Field numbers from gnostic openapiv2/OpenAPIv2.proto: Document{swagger=1, info=2, paths=8},
// Info{title=1, version=2}.
const DOCUMENT_SWAGGER = 1;
const DOCUMENT_INFO = 2;
const DOCUMENT_PATHS = 8;
const INFO_TITLE = 1;
const INFO_VERSION = 2;
const WIRE_TYPE_LENGTH_DELIMITED = 2;

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}

/** One length-delimited protobuf field (strings and embedded messages share this wire type). */
function lengthDelimited(field: number, payload: Uint8Array): number[] {
  return [...varint((field << 3) | WIRE_TYPE_LENGTH_DELIMITED), ...varint(payload.length), ...payload];
}

const utf8 = (s: string) => new TextEncoder().encode(s);

export function encodeOpenApiV2Document(info: { title: string; version: string }): Uint8Array {
  const infoMessage = Uint8Array.from([...lengthDelimited(INFO_TITLE, utf8(info.title)), ...lengthDelimited(INFO_VERSION, utf8(info.version))]);
  return Uint8Array.from([
    ...lengthDelimited(DOCUMENT_SWAGGER, utf8('2.0')),
    ...lengthDelimited(DOCUMENT_INFO, infoMessage),
    ...lengthDelimited(DOCUMENT_PATHS, new Uint8Array()),
  ]);
}

/** The HTTP answer for `GET /openapi/v2`, with ETag revalidation like kube-apiserver. */
export function openApiV2Response(serverVersion: string, req: { ifNoneMatch?: string } = {}): DocumentResponse {
  const body = encodeOpenApiV2Document({ title: 'Kubernetes', version: serverVersion });
  const etag = etagOf(body);
  const headers = { 'Content-Type': OPENAPI_V2_PROTOBUF_CONTENT_TYPE, ETag: etag, Vary: 'Accept' };
  if (ifNoneMatchHits(req.ifNoneMatch, etag)) return { status: 304, headers, body: '' };
  return { status: 200, headers, body };
}
