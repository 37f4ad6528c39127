/**
 * A protobuf request body that cannot be turned into a Kubernetes JSON object: not the `k8s\x00`
 * envelope, malformed protobuf, or a group/version/kind this server has no schema for. Callers map
 * it to a Kubernetes Status (415 for an unknown kind, 400 for a broken body).
 */
export class ProtobufDecodeError extends Error {
  /** `unsupported-kind` when the body is well formed but names a kind without a vendored schema. */
  readonly reason: 'malformed' | 'unsupported-kind';

  constructor(message: string, reason: 'malformed' | 'unsupported-kind' = 'malformed', options?: ErrorOptions) {
    super(message, options);
    this.name = 'ProtobufDecodeError';
    this.reason = reason;
  }
}
