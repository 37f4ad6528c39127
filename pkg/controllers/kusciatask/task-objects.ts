/**
 * The labels and annotations tying a task's pods, Services and ConfigMaps to it. Objects in party
 * namespaces cannot have an ownerReference to the KusciaTask in cross-domain (the garbage
 * collector would treat the owner as absent and delete them), so the task-uid label is how the
 * controller finds, and cleans up, what a task created.
 */
import { Annotations, ControllerName, Labels, type KusciaTask } from '../../crd/index.ts';

interface Meta {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
}

export function taskObjectLabels(task: KusciaTask): Record<string, string> {
  const labels: Record<string, string> = {
    [Labels.Controller]: ControllerName.KusciaTask,
    [Labels.TaskUID]: task.metadata.uid ?? '',
  };
  const protocol = task.metadata.labels?.[Labels.InterConnProtocolType];
  if (protocol) labels[Labels.InterConnProtocolType] = protocol;
  return labels;
}

export function taskObjectAnnotations(task: KusciaTask): Record<string, string> {
  return {
    [Annotations.Initiator]: task.spec.initiator,
    [Annotations.TaskID]: task.metadata.name ?? '',
  };
}

/** The task an object belongs to, by name (annotation task-id), or undefined. */
export function owningTaskName(obj: Meta): string | undefined {
  return obj.metadata?.annotations?.[Annotations.TaskID] || undefined;
}

/** The task an object belongs to, by UID (label task-uid), or undefined. */
export function owningTaskUID(obj: Meta): string | undefined {
  return obj.metadata?.labels?.[Labels.TaskUID] || undefined;
}
