import { join } from 'node:path';
import type { KusciaConfig } from './kuscia-config.ts';

/**
 * Where one node keeps its files: `<home>/master` for a master (the issue's
 * `$KUSCIA_HOME/master/kubeconfig.yaml`), `<home>/<domainID>` for a lite or an autonomy, so a master
 * and its lites share one KUSCIA_HOME on a host.
 */
export function nodeStateDir(config: Pick<KusciaConfig, 'home' | 'mode' | 'domainID'>): string {
  return join(config.home, config.mode === 'master' ? 'master' : config.domainID);
}
