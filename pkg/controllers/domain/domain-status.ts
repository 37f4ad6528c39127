import { isDeepStrictEqual } from 'node:util';
import { DeployTokenState, type DomainStatus } from '../../crd/index.ts';
import type { Node } from '../../kube/wire.ts';
import { rfc3339 } from '../common/controller-context.ts';
import { nextDeployTokens } from './deploy-tokens.ts';
import { nodeStatusesFrom } from './node-statuses.ts';

export interface DomainStatusInputs {
  /** Nodes labelled kuscia.secretflow/namespace=<domain>. */
  nodes: readonly Node[];
  now: number;
  newToken: () => string;
}

/** The status a (non-partner) domain should have; nodeStatuses is omitted when it has no Nodes. */
export function desiredDomainStatus(current: DomainStatus | undefined, inputs: DomainStatusInputs): DomainStatus {
  const status: DomainStatus = { ...current };
  const nodeStatuses = nodeStatusesFrom(inputs.nodes);
  if (nodeStatuses.length > 0) status.nodeStatuses = nodeStatuses;
  else delete status.nodeStatuses;
  status.deployTokenStatuses = nextDeployTokens(current?.deployTokenStatuses, () => ({
    token: inputs.newToken(),
    state: DeployTokenState.Unused,
    lastTransitionTime: rfc3339(inputs.now),
  }));
  return status;
}

/** Equal up to the order of nodeStatuses (written sorted, but a writer elsewhere may not). */
export function sameDomainStatus(a: DomainStatus | undefined, b: DomainStatus | undefined): boolean {
  return isDeepStrictEqual(normalise(a), normalise(b));
}

function normalise(s: DomainStatus | undefined): DomainStatus {
  const out: DomainStatus = { ...s };
  if (out.nodeStatuses) out.nodeStatuses = [...out.nodeStatuses].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  if (out.nodeStatuses?.length === 0) delete out.nodeStatuses;
  return out;
}
