/**
 * Where the Go JSON encoding of a Kubernetes type differs from "proto field name = JSON name,
 * omit zero values". Keys are `<proto message full name>.<field>`.
 */

const CORE = 'k8s.io.api.core.v1';
const APIEXT = 'k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1';

/**
 * Embedded Go structs tagged `json:",inline"`: their fields appear directly in the parent object,
 * but go-to-protobuf gives the embedded struct its own field. (TypeMeta is inline too, but it is not
 * part of any proto message.)
 */
export const INLINE_FIELDS: ReadonlySet<string> = new Set([
  `${CORE}.Volume.volumeSource`,
  `${CORE}.PersistentVolumeSpec.persistentVolumeSource`,
  `${CORE}.Probe.handler`,
  `${CORE}.EphemeralContainer.ephemeralContainerCommon`,
  `${CORE}.ConfigMapEnvSource.localObjectReference`,
  `${CORE}.ConfigMapKeySelector.localObjectReference`,
  `${CORE}.ConfigMapProjection.localObjectReference`,
  `${CORE}.ConfigMapVolumeSource.localObjectReference`,
  `${CORE}.SecretEnvSource.localObjectReference`,
  `${CORE}.SecretKeySelector.localObjectReference`,
  `${CORE}.SecretProjection.localObjectReference`,
]);

/**
 * Non-pointer scalar fields whose JSON tag has no `omitempty`, where the zero value is meaningful
 * enough to keep (required booleans and ports). Every other non-pointer scalar that is zero is
 * dropped: gogo writes non-pointer fields unconditionally, so on the wire "" / 0 / false cannot be
 * told from "not set", and for the overwhelming majority of fields Go's JSON would omit them.
 */
export const KEEP_ZERO_FIELDS: ReadonlySet<string> = new Set([
  `${APIEXT}.CustomResourceDefinitionVersion.served`,
  `${APIEXT}.CustomResourceDefinitionVersion.storage`,
  `${CORE}.ServicePort.port`,
  `${CORE}.ContainerPort.containerPort`,
  `${CORE}.ContainerStatus.ready`,
  `${CORE}.ContainerStatus.restartCount`,
  'k8s.io.api.authorization.v1.SubjectAccessReviewStatus.allowed',
  'k8s.io.api.events.v1.EventSeries.count',
]);

/**
 * Proto field names that are not the JSON name: JSON names that are not proto identifiers, and the
 * one field whose proto name was derived from the Go name. (`DaemonEndpoint.Port` really is "Port".)
 */
export const JSON_NAME_OVERRIDES: ReadonlyMap<string, string> = new Map([
  // go-to-protobuf derived this one from the Go field name `UID`; its JSON tag is "uid".
  ['k8s.io.api.authentication.v1.BoundObjectReference.uID', 'uid'],
  [`${APIEXT}.JSONSchemaProps.ref`, '$ref'],
  [`${APIEXT}.JSONSchemaProps.schema`, '$schema'],
  [`${APIEXT}.JSONSchemaProps.xKubernetesPreserveUnknownFields`, 'x-kubernetes-preserve-unknown-fields'],
  [`${APIEXT}.JSONSchemaProps.xKubernetesEmbeddedResource`, 'x-kubernetes-embedded-resource'],
  [`${APIEXT}.JSONSchemaProps.xKubernetesIntOrString`, 'x-kubernetes-int-or-string'],
  [`${APIEXT}.JSONSchemaProps.xKubernetesListMapKeys`, 'x-kubernetes-list-map-keys'],
  [`${APIEXT}.JSONSchemaProps.xKubernetesListType`, 'x-kubernetes-list-type'],
  [`${APIEXT}.JSONSchemaProps.xKubernetesMapType`, 'x-kubernetes-map-type'],
  [`${APIEXT}.JSONSchemaProps.xKubernetesValidations`, 'x-kubernetes-validations'],
]);
