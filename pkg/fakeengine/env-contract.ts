/**
 * The environment Kuscia gives every task container (reference §1.12), validated the way a real
 * engine would need it: the fake engine fails loudly on anything missing or malformed so a broken
 * contract shows up in tests as a failed task with a clear message.
 */
export interface TaskEnv {
  domainID: string;
  taskID: string;
  /** TASK_INPUT_CONFIG as given (the task's input, see task-config.ts). */
  taskInputConfig: string;
  clusterDefine: unknown;
  ports: Array<{ name: string; port: number }>;
}

export class EnvContractError extends Error {
  override readonly name = 'EnvContractError';
}

export function readTaskEnv(env: NodeJS.ProcessEnv): TaskEnv {
  const required = (name: string): string => {
    const value = env[name];
    if (value === undefined || value === '') throw new EnvContractError(`environment variable ${name} is missing`);
    return value;
  };
  const json = (name: string): unknown => {
    const raw = required(name);
    try {
      return JSON.parse(raw);
    } catch (err) {
      throw new EnvContractError(`environment variable ${name} is not valid JSON: ${(err as Error).message}`);
    }
  };
  const domainID = required('KUSCIA_DOMAIN_ID');
  const taskID = required('TASK_ID');
  const taskInputConfig = required('TASK_INPUT_CONFIG');
  const clusterDefine = json('TASK_CLUSTER_DEFINE');
  if (typeof clusterDefine !== 'object' || clusterDefine === null) throw new EnvContractError('TASK_CLUSTER_DEFINE must be a JSON object');
  const allocated = json('ALLOCATED_PORTS') as { ports?: unknown } | null;
  if (typeof allocated !== 'object' || allocated === null || !Array.isArray(allocated.ports ?? [])) {
    throw new EnvContractError('ALLOCATED_PORTS must be a JSON object with a "ports" list');
  }
  const ports: TaskEnv['ports'] = [];
  for (const [i, p] of ((allocated.ports ?? []) as Array<{ name?: unknown; port?: unknown }>).entries()) {
    if (typeof p?.name !== 'string' || !Number.isInteger(p.port)) {
      throw new EnvContractError(`ALLOCATED_PORTS.ports[${i}] must have a string "name" and an integer "port"`);
    }
    const envName = `KUSCIA_PORT_${p.name.toUpperCase().replaceAll('-', '_')}_NUMBER`;
    const number = required(envName);
    if (number !== String(p.port)) throw new EnvContractError(`${envName} is ${number} but ALLOCATED_PORTS gives port ${p.name} = ${String(p.port)}`);
    ports.push({ name: p.name, port: p.port as number });
  }
  return { domainID, taskID, taskInputConfig, clusterDefine, ports };
}
