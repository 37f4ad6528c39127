import { isAbsolute, normalize } from 'node:path';

/** What the fake engine does, from its task input config. */
export interface FakeTaskConfig {
  sleep: number;
  exit: number;
  message?: string;
  output?: string;
  /**
   * Peer mode: serve on the allocated ports and call every other party's endpoints from
   * TASK_CLUSTER_DEFINE through the domain gateway; succeed once all answered and all called us
   * (then keep serving `sleep` seconds).
   */
  peer?: boolean;
  /** Seconds peer mode waits for the other parties (default 60). */
  peerTimeout?: number;
}

export class TaskConfigError extends Error {
  override readonly name = 'TaskConfigError';
}

/** `{"sleep": seconds, "exit": code, "message": text, "output": relative path}`; every field optional. */
export function parseTaskConfig(raw: string): FakeTaskConfig {
  let doc: unknown;
  try {
    doc = JSON.parse(raw);
  } catch (err) {
    throw new TaskConfigError(`task input config is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new TaskConfigError('task input config must be a JSON object');
  const c = doc as Record<string, unknown>;
  const config: FakeTaskConfig = { sleep: 0, exit: 0 };
  if (c.sleep !== undefined) {
    if (typeof c.sleep !== 'number' || !(c.sleep >= 0)) throw new TaskConfigError('task input config: "sleep" must be a number of seconds >= 0');
    config.sleep = c.sleep;
  }
  if (c.exit !== undefined) {
    if (!Number.isInteger(c.exit) || (c.exit as number) < 0 || (c.exit as number) > 255) throw new TaskConfigError('task input config: "exit" must be an integer 0-255');
    config.exit = c.exit as number;
  }
  if (c.message !== undefined) {
    if (typeof c.message !== 'string') throw new TaskConfigError('task input config: "message" must be a string');
    config.message = c.message;
  }
  if (c.peer !== undefined) {
    if (typeof c.peer !== 'boolean') throw new TaskConfigError('task input config: "peer" must be true or false');
    config.peer = c.peer;
  }
  if (c.peerTimeout !== undefined) {
    if (typeof c.peerTimeout !== 'number' || !(c.peerTimeout > 0)) throw new TaskConfigError('task input config: "peerTimeout" must be a number of seconds > 0');
    config.peerTimeout = c.peerTimeout;
  }
  if (c.output !== undefined) {
    if (typeof c.output !== 'string' || c.output === '' || isAbsolute(c.output) || normalize(c.output).startsWith('..')) {
      throw new TaskConfigError('task input config: "output" must be a relative path inside the working directory');
    }
    config.output = c.output;
  }
  return config;
}

/**
 * The config file Kuscia renders from the AppImage's template (`./kuscia/task-config.conf`): JSON
 * whose `task_input_config` holds the input (as a JSON string or object). Undefined when the file
 * does not carry it, so the caller falls back to TASK_INPUT_CONFIG.
 */
export function inputFromConfigFile(text: string): string | undefined {
  try {
    const doc = JSON.parse(text) as { task_input_config?: unknown };
    const v = doc?.task_input_config;
    if (typeof v === 'string' && v !== '') return v;
    if (typeof v === 'object' && v !== null) return JSON.stringify(v);
  } catch {
    // Not JSON (e.g. a template rendered with unescaped quotes): the environment has the same value.
  }
  return undefined;
}
