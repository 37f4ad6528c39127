import type { ServerResponse } from 'node:http';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { batchedWriter } from './batched-writer.ts';

/** The part of a ServerResponse the writer uses, recording each socket write. */
function recordingResponse(): { res: ServerResponse; writes: string[]; state: { destroyed: boolean; writableLength: number } } {
  const writes: string[] = [];
  const state = { destroyed: false, writableEnded: false, writableLength: 0 };
  const res = {
    write: (text: string) => {
      writes.push(text);
      state.writableLength += text.length;
      return true;
    },
    get destroyed() {
      return state.destroyed;
    },
    get writableEnded() {
      return state.writableEnded;
    },
    get writableLength() {
      return state.writableLength;
    },
  };
  return { res: res as unknown as ServerResponse, writes, state };
}

describe('batchedWriter', () => {
  it('sends the lines of one event-loop turn as one write, in order', async () => {
    const { res, writes } = recordingResponse();
    const out = batchedWriter(res, 1 << 20, () => {});
    out.write('a\n');
    out.write('b\n');
    out.write('c\n');
    expect(writes).toEqual([]);
    await nextTurn();
    expect(writes).toEqual(['a\nb\nc\n']);
    out.write('d\n');
    await nextTurn();
    expect(writes).toEqual(['a\nb\nc\n', 'd\n']);
  });

  it('flush sends what is queued at once and nothing twice', async () => {
    const { res, writes } = recordingResponse();
    const out = batchedWriter(res, 1 << 20, () => {});
    out.write('last\n');
    out.flush();
    expect(writes).toEqual(['last\n']);
    await nextTurn();
    expect(writes).toEqual(['last\n']);
  });

  it('cuts off a watcher whose unsent bytes pass the limit', async () => {
    const { res } = recordingResponse();
    let overflowed = 0;
    const out = batchedWriter(res, 10, () => overflowed++);
    out.write('0123456789\n');
    await nextTurn();
    expect(overflowed).toBe(1);
  });

  it('drops lines once the socket is gone instead of writing to it', async () => {
    const { res, writes, state } = recordingResponse();
    const out = batchedWriter(res, 1 << 20, () => {});
    out.write('x\n');
    state.destroyed = true;
    await nextTurn();
    expect(writes).toEqual([]);
  });
});
