export { buildGroupVersionDocument, type GroupVersionDocumentInput, type OpenApiV3Document } from './group-version-document.ts';
export {
  buildOpenApiV3Documents,
  openApiV3Response,
  type OpenApiV3Documents,
  type OpenApiV3Input,
  type OpenApiV3Request,
  type RenderedDocument,
} from './openapi-v3.ts';
export { encodeOpenApiV2Document, openApiV2Response, OPENAPI_V2_PROTOBUF_CONTENT_TYPE } from './openapi-v2.ts';
export { customDefinitionName, customKindSchema, customListSchema, type GroupVersionKind } from './kind-schemas.ts';
export { metaDefinitions } from './meta-definitions.ts';
export { type OpenApiSchema } from './openapi-schema.ts';
