/**
 * One part of a Kuscia node (the API server, the controllers, the agent, ...), as Kuscia's module
 * manager sees it: started once its dependencies are ready, then ready itself, stopped in reverse.
 */
export interface Module {
  readonly name: string;
  /** Names of modules that must be ready before this one starts. */
  readonly dependsOn: readonly string[];
  /** Starts the module; returns once it is started (not necessarily ready). */
  start(): Promise<void>;
  /** Resolves when the module serves; rejects when it cannot get there. */
  ready(): Promise<void>;
  /** Stops gracefully; must be safe to call whether or not start finished. */
  stop(): Promise<void>;
}

/** A module whose work is one async step (bootstrap objects, write files): ready when done. */
export function taskModule(name: string, dependsOn: readonly string[], run: () => Promise<void>, stop: () => Promise<void> = async () => {}): Module {
  let done: Promise<void> | undefined;
  return {
    name,
    dependsOn,
    start: async () => {
      done = run();
      await done;
    },
    ready: () => done ?? Promise.reject(new Error(`${name} was not started`)),
    stop,
  };
}
