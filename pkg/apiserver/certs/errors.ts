/**
 * Raised when the PKI directory holds something we must not silently replace (a CA certificate
 * without its key, an unreadable key) or when a caller asks for an unsafe configuration.
 * Replacing a CA would invalidate every kubeconfig already handed out, so we stop instead.
 */
export class PkiError extends Error {
  override name = 'PkiError';
  readonly path: string | undefined;

  constructor(message: string, path?: string) {
    super(path ? `${message}: ${path}` : message);
    this.path = path;
  }
}
