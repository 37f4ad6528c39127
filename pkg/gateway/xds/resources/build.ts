import type { XdsResource } from '../envoy-protos.ts';
import { buildClusters } from './clusters.ts';
import { buildEndpoints } from './endpoints.ts';
import { buildExternalRoute } from './external-routes.ts';
import { DEFAULT_IDLE_TIMEOUT_SECONDS, type GatewayState } from './gateway-state.ts';
import { buildInternalRoute } from './internal-routes.ts';
import { buildListeners } from './listeners.ts';
import { type SkippedInput, usableInputs } from './usable-inputs.ts';

export interface GatewayResources {
  /** Every resource of the gateway, in push order (CDS → EDS → LDS → RDS). */
  resources: XdsResource[];
  /** Inputs that were left out (duplicates, names that would clash); the rest is served. */
  skipped: SkippedInput[];
}

/**
 * The whole xDS configuration of one gateway instance from its state: a pure function, so the same
 * state always gives the same (byte-identical) resources and the ADS server can diff by body.
 */
export function buildGatewayResources(state: GatewayState): GatewayResources {
  const { outbound, inbound, services, skipped } = usableInputs(state);
  const idle = state.idleTimeoutSeconds ?? DEFAULT_IDLE_TIMEOUT_SECONDS;
  return {
    resources: [
      ...buildClusters(state, outbound, services),
      ...buildEndpoints(services),
      ...buildListeners(state),
      buildInternalRoute(state, idle, outbound, services),
      buildExternalRoute(state, idle, inbound),
    ],
    skipped,
  };
}
