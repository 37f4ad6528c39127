import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/object.ts';
import { estimateLastWriteMs } from './last-write.ts';

const now = Date.parse('2026-05-01T12:00:00Z');
const event = (fields: Record<string, unknown>, metadata: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name: 'e', namespace: 'default', creationTimestamp: '2026-05-01T10:00:00Z', ...metadata },
  ...fields,
});

describe('estimateLastWriteMs (event TTL after a restart)', () => {
  it('takes the latest time the event carries; a whole-second time counts as the end of its second', () => {
    const e = event({ lastTimestamp: '2026-05-01T11:00:00Z', firstTimestamp: '2026-05-01T10:00:00Z' });
    expect(estimateLastWriteMs(e, now)).toBe(Date.parse('2026-05-01T11:00:00Z') + 999);
  });

  it('uses eventTime, series.lastObservedTime and managedFields times (fractional: as they are)', () => {
    expect(estimateLastWriteMs(event({ eventTime: '2026-05-01T11:30:00.250000Z' }), now)).toBe(Date.parse('2026-05-01T11:30:00.250Z'));
    expect(estimateLastWriteMs(event({ eventTime: '2026-05-01T10:00:00.000000Z', series: { count: 3, lastObservedTime: '2026-05-01T11:45:00.500000Z' } }), now)).toBe(
      Date.parse('2026-05-01T11:45:00.500Z'),
    );
    const updated = event({}, { managedFields: [{ manager: 'kubectl', operation: 'Update', time: '2026-05-01T11:50:00Z' }] });
    expect(estimateLastWriteMs(updated, now)).toBe(Date.parse('2026-05-01T11:50:00Z') + 999);
  });

  it('an old client timestamp never moves the deadline before the server-set creation time', () => {
    const e = event({ lastTimestamp: '2020-01-01T00:00:00Z' }, { creationTimestamp: '2026-05-01T11:59:00Z' });
    expect(estimateLastWriteMs(e, now)).toBe(Date.parse('2026-05-01T11:59:00Z') + 999);
  });

  it('a client clock ahead of ours cannot push the deadline past now + TTL', () => {
    expect(estimateLastWriteMs(event({ lastTimestamp: '2027-01-01T00:00:00Z' }), now)).toBe(now);
  });

  it('an event without any usable time counts as written now', () => {
    expect(estimateLastWriteMs({ metadata: { name: 'e' } }, now)).toBe(now);
    expect(estimateLastWriteMs({ metadata: { name: 'e', creationTimestamp: 'garbage' } }, now)).toBe(now);
  });
});
