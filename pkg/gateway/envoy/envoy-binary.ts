import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { isExecutableFile } from '../../os/executable-file.ts';

/** The configured Envoy cannot be run; the message is the one line `kuscia start` ends with. */
export class EnvoyNotFoundError extends Error {
  override readonly name = 'EnvoyNotFoundError';
}

/**
 * The Envoy executable: `envoyPath` when configured (a path, or a name looked up on PATH),
 * otherwise `envoy` on PATH. Resolved before anything starts so a missing binary is one clear
 * line, not a spawn error deep in the gateway.
 */
export function findEnvoyBinary(envoyPath: string | undefined, pathEnv = process.env.PATH ?? ''): string {
  if (envoyPath !== undefined && envoyPath !== '') {
    if (envoyPath.includes('/')) {
      const full = resolve(envoyPath);
      if (isExecutableFile(full)) return full;
      throw new EnvoyNotFoundError(`gateway.envoyPath: ${envoyPath} is not an executable file`);
    }
    const found = searchPath(envoyPath, pathEnv);
    if (found) return found;
    throw new EnvoyNotFoundError(`gateway.envoyPath: no ${envoyPath} binary on PATH`);
  }
  const found = searchPath('envoy', pathEnv);
  if (found) return found;
  throw new EnvoyNotFoundError('gateway.dataPlane: envoy: no envoy binary on PATH');
}

function searchPath(name: string, pathEnv: string): string | undefined {
  for (const dir of pathEnv.split(delimiter)) {
    if (dir === '' || !isAbsolute(dir)) continue; // relative PATH entries depend on the cwd: never trusted
    const full = join(dir, name);
    if (isExecutableFile(full)) return full;
  }
  return undefined;
}
