/**
 * Creating one KusciaTask of a Running job. Task names are the job's taskIDs, so creation is
 * idempotent: AlreadyExists for a task carrying this job's uid means an earlier reconcile (or an
 * earlier controller process) created it. A task of that name that belongs to anything else fails
 * the job (reason CreateTaskFailed), as in Kuscia.
 */
import { CROSS_DOMAIN_NAMESPACE, Labels, type KusciaJob, type KusciaTask, type KusciaTaskTemplate, type PartyTemplate } from '../../crd/index.ts';
import { isAlreadyExists } from '../../kube/api-errors.ts';
import { DeployTemplateNotFoundError } from '../common/deploy-template.ts';
import type { JobHandlerDeps } from './deps.ts';
import { errorMessage } from './error-message.ts';
import { isPartnerNamespace } from './namespaces.ts';
import { ResourceSplitError } from './resource-split.ts';
import { buildKusciaTask, partyTemplateFor } from './task-builder.ts';

export type CreateTaskResult = { created: boolean; failure?: undefined } | { created: false; failure: string };

export async function createJobTask(job: KusciaJob, template: KusciaTaskTemplate, deps: JobHandlerDeps): Promise<CreateTaskResult> {
  const task = buildKusciaTask({
    job,
    template,
    selfClusterAsParticipant: await selfClusterAsParticipant(template, deps),
    partyTemplates: await partyTemplates(template, deps),
  });
  const name = task.metadata.name ?? '';
  try {
    await deps.ctx.clients.kusciaTasks.create(task);
    deps.log.info({ task: name, alias: template.alias }, 'created KusciaTask');
    return { created: true };
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
  let existing: KusciaTask;
  try {
    existing = deps.tasks.get(CROSS_DOMAIN_NAMESPACE, name) ?? (await deps.ctx.clients.kusciaTasks.get(CROSS_DOMAIN_NAMESPACE, name));
  } catch (err) {
    return { created: false, failure: errorMessage(err) };
  }
  if (existing.metadata.labels?.[Labels.JobUID] !== job.metadata.uid) {
    return { created: false, failure: `Failed to create task ${name} because of a task with the same name already exists` };
  }
  return { created: false };
}

async function selfClusterAsParticipant(template: KusciaTaskTemplate, deps: JobHandlerDeps): Promise<boolean> {
  for (const party of template.parties) {
    if (!isPartnerNamespace(await deps.namespaces.get(party.domainID))) return true;
  }
  return false;
}

/**
 * Per party, the template carrying its split resources. As in Kuscia, a missing AppImage or deploy
 * template only loses the split (logged): the KusciaTask controller reports the real problem on the task.
 */
async function partyTemplates(template: KusciaTaskTemplate, deps: JobHandlerDeps): Promise<Array<PartyTemplate | undefined>> {
  const result: Array<PartyTemplate | undefined> = [];
  for (const party of template.parties) {
    if (!party.resources) {
      result.push(undefined);
      continue;
    }
    const appImage = await deps.appImage(template.appImage);
    if (!appImage) {
      deps.log.warn({ appImage: template.appImage, domain: party.domainID }, 'AppImage not found; party resources are not split');
      result.push(undefined);
      continue;
    }
    try {
      result.push(partyTemplateFor(party, appImage));
    } catch (err) {
      if (!(err instanceof DeployTemplateNotFoundError) && !(err instanceof ResourceSplitError)) throw err;
      deps.log.warn({ appImage: template.appImage, domain: party.domainID, err: err.message }, 'party resources are not split');
      result.push(undefined);
    }
  }
  return result;
}
