import { API_VERSION, CROSS_DOMAIN_NAMESPACE, type KusciaJob } from '../../pkg/crd/index.ts';

/**
 * A KusciaJob of one task on the fake engine (deploy/examples/appimage-fake-engine.yaml) with the
 * given parties, the first one the initiator. Task IDs are unique across jobs (they name the
 * KusciaTask), so each is the job's name plus `-task`. An empty task input config: the engine
 * checks its env contract and exits 0 at once.
 */
export function oneTaskFakeJob(name: string, parties: readonly string[]): KusciaJob {
  return {
    apiVersion: API_VERSION,
    kind: 'KusciaJob',
    metadata: { name, namespace: CROSS_DOMAIN_NAMESPACE },
    spec: {
      initiator: parties[0]!,
      tasks: [{ alias: 'task', taskID: oneTaskFakeJobTaskID(name), appImage: 'fake-engine', taskInputConfig: '{}', parties: parties.map((domainID) => ({ domainID })) }],
    },
  };
}

export const oneTaskFakeJobTaskID = (jobName: string) => `${jobName}-task`;
