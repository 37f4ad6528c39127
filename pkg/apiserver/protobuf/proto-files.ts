/**
 * The vendored Kubernetes protobuf schemas under `proto/`, by their import path. Each group/version
 * the API server decodes needs its file here plus every file it imports.
 */

/** Extracted from kubectl's own registered descriptors by scripts/extract-kubectl-protos.ts. */
export const VENDORED_FROM_KUBECTL = [
  'k8s.io/apimachinery/pkg/runtime/generated.proto',
  'k8s.io/apimachinery/pkg/runtime/schema/generated.proto',
  'k8s.io/apimachinery/pkg/util/intstr/generated.proto',
  'k8s.io/apimachinery/pkg/api/resource/generated.proto',
  'k8s.io/apimachinery/pkg/apis/meta/v1/generated.proto',
  'k8s.io/api/core/v1/generated.proto',
  'k8s.io/api/apps/v1/generated.proto',
  'k8s.io/api/rbac/v1/generated.proto',
  'k8s.io/api/coordination/v1/generated.proto',
  'k8s.io/api/events/v1/generated.proto',
  'k8s.io/api/authentication/v1/generated.proto',
  'k8s.io/api/authorization/v1/generated.proto',
  'k8s.io/api/policy/v1/generated.proto',
] as const;

/** kubectl does not link apiextensions; this one is maintained by hand (see its header). */
export const HAND_MAINTAINED = ['k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1/generated.proto'] as const;

export const PROTO_FILES: readonly string[] = [...VENDORED_FROM_KUBECTL, ...HAND_MAINTAINED];
