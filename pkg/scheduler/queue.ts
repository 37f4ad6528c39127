/**
 * The scheduling queue: units (a gang = one TaskResource's pods, or a single pod) in Kuscia's
 * QueueSort order — higher pod priority first, then older TaskResource (a single pod: its own
 * creation time), then namespace/name — plus the units that found no room, parked until capacity
 * frees up instead of being retried in a busy loop.
 */

export interface QueuedUnit {
  /** Identity in the queue, e.g. `gang:ns/tr` or `pod:ns/name`. */
  id: string;
  /** `namespace/name` of the TaskResource or pod: the last tie-breaker. */
  name: string;
  priority: number;
  /** Creation time in ms (seconds precision on the wire, hence the name tie-breaker). */
  createdMs: number;
}

/** Negative when `a` goes first. */
export function compareUnits(a: QueuedUnit, b: QueuedUnit): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  if (a.createdMs !== b.createdMs) return a.createdMs - b.createdMs;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

export class SchedulingQueue {
  private readonly heap: QueuedUnit[] = [];
  private readonly active = new Set<string>();
  private readonly parked = new Map<string, QueuedUnit>();

  /** Queues a unit for an attempt (a parked unit is woken up); a unit already queued stays where it is. */
  add(unit: QueuedUnit): void {
    if (this.active.has(unit.id)) return;
    this.parked.delete(unit.id);
    this.active.add(unit.id);
    this.push(unit);
  }

  /** The next unit to attempt, in queue order. */
  pop(): QueuedUnit | undefined {
    const top = this.heap[0];
    if (!top) return undefined;
    const last = this.heap.pop()!;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.siftDown(0);
    }
    this.active.delete(top.id);
    return top;
  }

  /** The unit did not fit: it waits for {@link moveAllToActive} (or its own next event). */
  park(unit: QueuedUnit): void {
    if (this.active.has(unit.id)) return;
    this.parked.set(unit.id, unit);
  }

  /** Capacity changed: every parked unit gets another attempt. */
  moveAllToActive(): void {
    for (const unit of this.parked.values()) {
      this.active.add(unit.id);
      this.push(unit);
    }
    this.parked.clear();
  }

  /** Forgets a parked unit (its object is gone); a queued one is dropped when popped and found gone. */
  forget(id: string): void {
    this.parked.delete(id);
  }

  get activeCount(): number {
    return this.heap.length;
  }

  get parkedCount(): number {
    return this.parked.size;
  }

  private push(unit: QueuedUnit): void {
    this.heap.push(unit);
    let i = this.heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (compareUnits(this.heap[i]!, this.heap[parent]!) >= 0) break;
      [this.heap[i], this.heap[parent]] = [this.heap[parent]!, this.heap[i]!];
      i = parent;
    }
  }

  private siftDown(i: number): void {
    const n = this.heap.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let smallest = i;
      if (l < n && compareUnits(this.heap[l]!, this.heap[smallest]!) < 0) smallest = l;
      if (r < n && compareUnits(this.heap[r]!, this.heap[smallest]!) < 0) smallest = r;
      if (smallest === i) return;
      [this.heap[i], this.heap[smallest]] = [this.heap[smallest]!, this.heap[i]!];
      i = smallest;
    }
  }
}
