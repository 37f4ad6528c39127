import { basename } from 'node:path';
import { ConfigError } from './config-error.ts';
import type { KusciaConfig } from './kuscia-config.ts';

/**
 * Settings kuscia.yaml accepts (they are Kuscia's) but this build cannot run yet: `kuscia start`
 * refuses them with one line instead of starting something else than configured.
 */
export function checkStartable(config: KusciaConfig, path: string): ConfigError | undefined {
  const file = basename(path);
  const hasAgent = config.mode !== 'master';
  if (hasAgent && config.runtime !== 'runp') {
    return new ConfigError(file, 'runtime', `${config.runtime} is not available yet in this build (use runp)`);
  }
  if (config.mode !== 'lite' && config.datastoreEndpoint !== '') {
    return new ConfigError(file, 'datastoreEndpoint', 'only the embedded SQLite datastore is supported yet (leave it empty)');
  }
  return undefined;
}
