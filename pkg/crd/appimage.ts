/** AppImage (cluster-wide app definition) and DomainAppImage (per-domain image allow-list). */
import type { KubeObject } from '../apiserver/api/object.ts';
import type { NetworkPolicy, PodSpec } from './common.ts';

export interface AppImageInfo {
  name: string;
  tag: string;
  /** `sha256:…`; when set the node verifies the local image ID before starting a container. */
  id?: string;
  sign?: string;
}

export interface DeployTemplate {
  name: string;
  /** Comma-separated list of party roles this template serves; empty = any role. */
  role?: string;
  replicas?: number;
  networkPolicy?: NetworkPolicy;
  spec: PodSpec;
}

export interface AppImageSpec {
  image: AppImageInfo;
  /** File name → template text rendered by the agent at container start. */
  configTemplates?: Record<string, string>;
  deployTemplates: DeployTemplate[];
}

export interface AppImage extends KubeObject {
  spec: AppImageSpec;
}

export interface DomainAppImageInfo {
  tag: string;
  id: string;
  sign: string;
}

export interface DomainAppImage extends KubeObject {
  spec: { images?: DomainAppImageInfo[] };
}
