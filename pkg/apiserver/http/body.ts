import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { ApiError, apiErrors } from '../api/errors.ts';
import { decodeKubernetesProtobuf, PROTOBUF_CONTENT_TYPE, ProtobufDecodeError } from '../protobuf/index.ts';

/** kube-apiserver's limit for a request body (--max-request-bytes defaults to 3 MiB for JSON). */
export const MAX_REQUEST_BYTES = 3 * 1024 * 1024;

/**
 * Reads the whole body, refusing anything over the limit *before* buffering it: a declared
 * Content-Length over the limit is rejected without reading, and a chunked body is cut off as soon
 * as it crosses the limit.
 */
export function readBody(req: IncomingMessage, limit = MAX_REQUEST_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(apiErrors.requestEntityTooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Stop buffering; the error response is sent with Connection: close (see server.ts), so
        // the rest of the upload is never read.
        req.off('data', onData);
        req.off('end', onEnd);
        req.pause();
        reject(apiErrors.requestEntityTooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', reject);
  });
}

/** The media type without parameters, lower-cased. */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

/**
 * Decodes a JSON, YAML or Kubernetes-protobuf body. Errors read like kube-apiserver's decoder errors so clients can show
 * them: a 400 BadRequest naming what was wrong.
 */
export function decodeBody(body: Buffer, contentType: string | undefined): unknown {
  const type = mediaType(contentType);
  if (type === PROTOBUF_CONTENT_TYPE) return decodeProtobuf(body);
  const text = body.toString('utf8');
  if (text.trim() === '') throw apiErrors.badRequest('the body of the request was empty');
  if (type === 'application/yaml' || type === 'application/apply-patch+yaml' || type === 'text/yaml') {
    try {
      return parseYaml(text, { schema: 'core', uniqueKeys: false });
    } catch (e) {
      throw apiErrors.badRequest(`error converting YAML to JSON: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw apiErrors.badRequest(`error decoding request body: ${(e as Error).message}`);
  }
}

/**
 * kubectl's typed commands (create namespace/configmap/secret/..., create token) send Kubernetes
 * protobuf; it is decoded to the same JSON object kubectl would have sent as JSON.
 */
function decodeProtobuf(body: Buffer): unknown {
  try {
    return decodeKubernetesProtobuf(body);
  } catch (e) {
    if (e instanceof ProtobufDecodeError) {
      if (e.reason === 'unsupported-kind') throw new ApiError(415, 'UnsupportedMediaType', e.message);
      throw apiErrors.badRequest(e.message);
    }
    throw e;
  }
}
