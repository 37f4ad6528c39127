import type { HeaderMap } from './header-map.ts';

/** Envoy's isGrpcRequestHeaders: content-type `application/grpc`, `application/grpc+<sub>` or `application/grpc;...`. */
export function isGrpcRequest(headers: HeaderMap): boolean {
  const type = headers.get('content-type');
  if (!type || !type.startsWith('application/grpc')) return false;
  const rest = type.slice('application/grpc'.length);
  return rest === '' || rest.startsWith('+') || rest.startsWith(';');
}

/** Envoy's Grpc::Utility::httpToGrpcStatus: the gRPC status a local HTTP reply maps to. */
export function grpcStatusOfHttp(status: number): number {
  switch (status) {
    case 400:
      return 13; // INTERNAL
    case 401:
      return 16; // UNAUTHENTICATED
    case 403:
      return 7; // PERMISSION_DENIED
    case 404:
      return 12; // UNIMPLEMENTED
    case 429:
    case 502:
    case 503:
    case 504:
      return 14; // UNAVAILABLE
    default:
      return 2; // UNKNOWN
  }
}
