/**
 * Tasks waiting for node capacity after a denied permit. They are reconciled again when a node
 * changes in a way that can add room (new, became Ready, more allocatable), and at least every
 * `recheckMs` (pods finishing free room too, and the lifecycle deadline must be noticed).
 */
import type { RateLimitingQueue } from '../../kube/work-queue.ts';
import type { Node } from '../../kube/wire.ts';
import type { ResourceWaits } from './deps.ts';
import { isNodeReady } from '../../kube/object-state.ts';
import { sameJson } from './same-json.ts';

export class ResourceWaitList implements ResourceWaits {
  private readonly queue: RateLimitingQueue;
  private readonly recheckMs: number;
  private readonly now: () => number;
  private readonly waiting = new Set<string>();

  constructor(queue: RateLimitingQueue, recheckMs: number, now: () => number) {
    this.queue = queue;
    this.recheckMs = recheckMs;
    this.now = now;
  }

  wait(taskKey: string, deadline: number): void {
    this.waiting.add(taskKey);
    this.queue.addAfter(taskKey, Math.max(1, Math.min(this.recheckMs, deadline - this.now())));
  }

  done(taskKey: string): void {
    this.waiting.delete(taskKey);
  }

  /** Node event: wake every waiting task if the node may offer more room than before. */
  onNode(old: Node | undefined, node: Node): void {
    if (this.waiting.size === 0 || !isNodeReady(node)) return;
    if (old && isNodeReady(old) && sameJson(old.status?.allocatable, node.status?.allocatable)) return;
    for (const key of this.waiting) this.queue.add(key);
  }
}
