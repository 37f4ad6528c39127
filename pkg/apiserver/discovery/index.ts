export {
  buildApiGroup,
  buildApiGroupList,
  buildApiResourceList,
  buildApiVersions,
  apiResourcesOf,
  type APIGroup,
  type APIGroupList,
  type APIResource,
  type APIResourceList,
  type APIVersions,
} from './legacy-documents.ts';
export {
  buildAggregatedDiscovery,
  type AggregatedDiscoveryVersion,
  type APIGroupDiscoveryList,
} from './aggregated-documents.ts';
export { negotiateDiscovery, aggregatedContentType, type DiscoveryForm } from './negotiate.ts';
export { servedGroups, type ServedGroup, type ServedVersion } from './served-groups.ts';
export { compareKubeAwareVersions } from './version-priority.ts';
export { compareGroups } from './group-priority.ts';
export { storageVersionHash } from './storage-version-hash.ts';
export { subresourceInfo, type SubresourceInfo } from './subresources.ts';
export { etagOf, contentHash, ifNoneMatchHits } from './etag.ts';
export { discoveryRootResponse, type DiscoveryRequest, type DocumentResponse } from './respond.ts';
