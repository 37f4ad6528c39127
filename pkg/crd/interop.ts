/** InteropConfig: which local domains (members) follow which peer control plane (host). */
import type { KubeObject } from '../apiserver/api/object.ts';

export interface InteropConfigSpec {
  /** Domain whose control plane is the job host. */
  host: string;
  /** Local domain IDs. */
  members: string[];
}

/** Named `<member>-2-<host>` when created by the ClusterDomainRoute controller. */
export interface InteropConfig extends KubeObject {
  spec: InteropConfigSpec;
}
