/**
 * What a job that did not succeed looks like across the pipeline, read from the API server: the
 * job's phase and message, each of its tasks' phase/message and last condition, the task's
 * TaskResourceGroup phase, and its pods (namespace, node, phase). Enough to tell which controller
 * stopped moving it.
 */
import type { KusciaClients } from '../../pkg/controllers/common/clients.ts';
import { Annotations, CROSS_DOMAIN_NAMESPACE, Labels, type KusciaJob } from '../../pkg/crd/index.ts';
import { describeError } from '../../pkg/kube/api-errors.ts';

export async function describeJob(clients: KusciaClients, job: KusciaJob): Promise<string> {
  const name = job.metadata.name ?? '';
  const lines = [`job ${name}: phase=${job.status?.phase ?? '(none)'} message=${JSON.stringify(job.status?.message ?? '')} taskStatus=${JSON.stringify(job.status?.taskStatus ?? {})}`];
  try {
    const tasks = await clients.kusciaTasks.list(CROSS_DOMAIN_NAMESPACE, { labelSelector: `${Labels.JobUID}=${job.metadata.uid}` });
    for (const task of tasks.items) {
      const tname = task.metadata.name ?? '';
      const last = task.status?.conditions?.at(-1);
      lines.push(
        `  task ${tname}: phase=${task.status?.phase ?? '(none)'} message=${JSON.stringify(task.status?.message ?? '')}` +
          (last ? ` lastCondition=${last.type}/${last.status}${last.reason ? `/${last.reason}` : ''}` : ''),
      );
      const trg = await clients.taskResourceGroups.get('', tname).catch(() => undefined);
      lines.push(`    taskResourceGroup: ${trg ? `phase=${trg.status?.phase ?? '(none)'} retryCount=${trg.status?.retryCount ?? 0}` : 'absent'}`);
      for (const ns of ['alice', 'bob']) {
        const pods = await clients.pods.list(ns);
        for (const pod of pods.items.filter((p) => p.metadata?.annotations?.[Annotations.TaskID] === tname)) {
          lines.push(`    pod ${ns}/${pod.metadata?.name}: node=${pod.spec?.nodeName ?? '(unbound)'} phase=${pod.status?.phase ?? '(none)'} task-resource=${pod.metadata?.annotations?.[Annotations.TaskResource] ?? ''}`);
        }
      }
    }
  } catch (err) {
    lines.push(`  (could not read its tasks: ${describeError(err)})`);
  }
  return lines.join('\n');
}
