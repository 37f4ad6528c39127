/** What a lite POSTs to `<masterEndpoint>/register`. */
export interface RegistrationRequest {
  domainID: string;
  /** The one-time deploy token from the master's Domain.status.deployTokenStatuses. */
  token: string;
  /** The lite's public key (SPKI PEM): the certificate is issued for it, the key never leaves the lite. */
  publicKey: string;
}

/** What the master answers: enough for a kubeconfig. */
export interface RegistrationResponse {
  /** PEM client certificate (CN=kuscia:lite:<domain>, O=kuscia:lites). */
  certificate: string;
  /** PEM of the API server's CA. */
  caCertificate: string;
  /** The API server's URL. */
  apiServer: string;
}

export const REGISTER_PATH = '/register';
