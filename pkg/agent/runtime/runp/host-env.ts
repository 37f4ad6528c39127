import type { BuiltinImage } from '../../images/builtin-images.ts';

/**
 * Host variables a RunP process inherits (a container would get them from its image): the search
 * path, the home and temp directories, locale and time zone. Everything else of the agent's own
 * environment (credentials, NODE_OPTIONS, ...) stays out.
 */
export const HOST_PASSTHROUGH_ENV = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'LC_ALL', 'TZ'] as const;

/** Variable RunP adds: where the container writes its termination message (the mapped terminationMessagePath). */
export const TERMINATION_MESSAGE_PATH_ENV = 'KUSCIA_TERMINATION_MESSAGE_PATH';

/** Host pass-through, the node's env, the image's env, then the container's env (later wins); the image's bin dir goes first on PATH. */
export function processEnv(
  hostEnv: NodeJS.ProcessEnv,
  image: BuiltinImage,
  containerEnv: Record<string, string>,
  terminationMessagePath: string,
  nodeEnv: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of HOST_PASSTHROUGH_ENV) {
    const value = hostEnv[name];
    if (value !== undefined) env[name] = value;
  }
  Object.assign(env, nodeEnv, image.env ?? {}, containerEnv);
  env.PATH = env.PATH ? `${image.binDir}:${env.PATH}` : image.binDir;
  env[TERMINATION_MESSAGE_PATH_ENV] = terminationMessagePath;
  return env;
}
