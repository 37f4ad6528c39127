/** DomainData, DomainDataSource and DomainDataGrant (Go: domaindata*_types.go). */
import type { KubeObject } from '../apiserver/api/object.ts';
import type { DataStatus, Time } from './common.ts';

export const DomainDataType = {
  Table: 'table',
  Model: 'model',
  Rule: 'rule',
  Report: 'report',
} as const;

export interface DataColumn {
  name: string;
  type: string;
  comment?: string;
  notNullable?: boolean;
}

export interface Partition {
  /** `path` | `odps`. */
  type: string;
  fields?: DataColumn[];
}

export interface DomainDataSpec {
  /** Relative to the data source URI. */
  relativeURI: string;
  author: string;
  name: string;
  type: string;
  /** DomainDataSource name. */
  dataSource: string;
  attributes?: Record<string, string>;
  partitions?: Partition;
  columns?: DataColumn[];
  /** manual, secretflow, grant, … */
  vendor?: string;
  fileFormat?: string;
}

export interface DomainData extends KubeObject {
  spec: DomainDataSpec;
  status?: DataStatus;
}

export const DomainDataSourceType = {
  LocalFS: 'localfs',
  OSS: 'oss',
  MySQL: 'mysql',
  ODPS: 'odps',
  PostgreSQL: 'postgresql',
  Hive: 'hive',
  Dameng: 'dameng',
} as const;

export interface DomainDataSourceSpec {
  uri?: string;
  name: string;
  type: string;
  /** Connection info, encrypted with the domain key under `encryptInfo`. */
  data?: Record<string, string>;
  /** Reference to a confmanager key instead of inline `data`. */
  infoKey?: string;
  accessDirectly?: boolean;
}

export interface DomainDataSource extends KubeObject {
  spec: DomainDataSourceSpec;
  status?: DataStatus;
}

export type GrantMode = 'normal' | 'metadata' | 'file';

export interface GrantLimit {
  expirationTime?: Time;
  useCount?: number;
  grantMode?: GrantMode[];
  flowID?: string;
  components?: string[];
  initiator?: string;
  inputConfig?: string;
}

export interface DomainDataGrantSpec {
  author: string;
  domainDataID: string;
  signature?: string;
  grantDomain: string;
  limit?: GrantLimit;
  description?: Record<string, string>;
}

export type GrantPhase = 'Ready' | 'Unavailable' | 'Unknown';

export interface UseRecord {
  use_time: Time;
  grant_domain: string;
  /** The original Go type serialises this field as `componet` (sic); both are accepted. */
  componet?: string;
  component?: string;
  output?: string;
}

export interface DomainDataGrantStatus {
  phase?: GrantPhase;
  message?: string;
  use_records?: UseRecord[];
}

export interface DomainDataGrant extends KubeObject {
  spec: DomainDataGrantSpec;
  status?: DomainDataGrantStatus;
}
