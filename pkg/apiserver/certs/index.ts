export { ensurePki, ADMIN_IDENTITY, KUBELET_CLIENT_IDENTITY, PKI_FILES, type EnsurePkiOptions, type Pki } from './ensure-pki.ts';
export {
  createCertificateAuthority,
  loadCertificateAuthority,
  type CertificateAuthority,
} from './certificate-authority.ts';
export {
  issueClientCertificate,
  issueServingCertificate,
  subjectAltNamesOf,
  type CertificatePair,
  type ClientCertificateOptions,
  type ServingCertificateOptions,
} from './certificate.ts';
export { servingSans } from './serving-sans.ts';
export { renderKubeconfig, writeKubeconfig, type KubeconfigOptions } from './kubeconfig.ts';
export { PkiError } from './errors.ts';
