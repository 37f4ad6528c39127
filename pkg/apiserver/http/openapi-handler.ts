import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../api/errors.ts';
import { buildOpenApiV3Documents, openApiV2Response, openApiV3Response, type OpenApiSchema, type OpenApiV3Documents } from '../openapi/index.ts';
import type { ResourceRegistry } from '../registry/resource-registry.ts';
import { KUBERNETES_VERSION } from './version.ts';

/**
 * /openapi/v2 (a minimal protobuf document: kubectl then leaves validation to the server) and
 * /openapi/v3 (index + one document per group-version with real schemas, used by
 * `kubectl explain` and for server-side field validation). The v3 documents are rendered once per
 * registry generation, i.e. again only after a CRD changes what is served.
 */
export class OpenApiHandler {
  private readonly registry: ResourceRegistry;
  private readonly definitions: () => Record<string, OpenApiSchema>;
  private cached: { generation: number; docs: OpenApiV3Documents } | undefined;

  constructor(registry: ResourceRegistry, definitions: () => Record<string, OpenApiSchema>) {
    this.registry = registry;
    this.definitions = definitions;
  }

  serve(req: IncomingMessage, res: ServerResponse, parts: string[], query: URLSearchParams): void {
    const [, version, ...rest] = parts;
    let answer;
    if (version === 'v2' && rest.length === 0) {
      answer = openApiV2Response(KUBERNETES_VERSION.gitVersion, { ifNoneMatch: req.headers['if-none-match'] });
    } else if (version === 'v3') {
      answer = openApiV3Response(this.documents(), {
        path: rest.join('/'),
        hash: query.get('hash') ?? undefined,
        ifNoneMatch: req.headers['if-none-match'],
        accept: req.headers.accept,
      });
    } else {
      throw new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});
    }
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  }

  private documents(): OpenApiV3Documents {
    const generation = this.registry.generation;
    if (this.cached?.generation !== generation) {
      const docs = buildOpenApiV3Documents({ types: this.registry.all(), definitions: this.definitions(), serverVersion: KUBERNETES_VERSION.gitVersion });
      this.cached = { generation, docs };
    }
    return this.cached.docs;
  }
}
