import { writeFile } from 'node:fs/promises';

/**
 * A kubeconfig holding only a bearer token (no client certificate), as a service account's user
 * would have: the CA to verify the server, the server URL and the token (none: a user without
 * credentials).
 */
export async function writeTokenKubeconfig(path: string, opts: { server: string; caPem: string; token?: string }): Promise<void> {
  const ca = Buffer.from(opts.caPem).toString('base64');
  const text = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: kuscia',
    '  cluster:',
    `    server: ${opts.server}`,
    `    certificate-authority-data: ${ca}`,
    'users:',
    '- name: token-user',
    ...(opts.token === undefined ? ['  user: {}'] : ['  user:', `    token: ${opts.token}`]),
    'contexts:',
    '- name: token',
    '  context:',
    '    cluster: kuscia',
    '    user: token-user',
    'current-context: token',
    '',
  ].join('\n');
  await writeFile(path, text, { mode: 0o600 });
}
