import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { ResourceType } from '../api/resource-type.ts';
import { selfSubjectAccessReviewHandler, subjectAccessReviewHandler, localSubjectAccessReviewHandler } from '../http/access-reviews.ts';
import type { RequestInfo } from '../http/request-info.ts';
import { selfSubjectRulesReviewHandler } from '../http/rules-review.ts';
import { selfSubjectReviewHandler } from '../http/self-subject-review.ts';
import { tokenRequestHandler } from '../http/token-request.ts';
import { VirtualResources } from '../http/virtual-resources.ts';
import { ClusterRoleAggregationController } from '../rbac/aggregation-controller.ts';
import { RbacAuthorizer } from '../rbac/authorizer.ts';
import { EscalationGuard } from '../rbac/escalation-guard.ts';
import { forbiddenError } from '../rbac/forbidden.ts';
import { RbacPolicyIndex } from '../rbac/policy-index.ts';
import { reconcileBootstrapPolicy } from '../rbac/reconcile-bootstrap-policy.ts';
import { attributesOf } from '../rbac/request-attributes.ts';
import type { ResourceRegistry } from '../registry/resource-registry.ts';
import type { RestStorage } from '../registry/rest-storage.ts';
import type { Store } from '../storage/types.ts';
import { ClientCertAuthenticator } from './client-cert-authenticator.ts';
import { DefaultServiceAccountController } from './default-service-account-controller.ts';
import { RequestAuthenticator } from './request-authenticator.ts';
import { ensureServiceAccountKey, type ServiceAccountKey } from './service-account-key.ts';
import { DEFAULT_SERVICE_ACCOUNT_ISSUER, ServiceAccountTokenIssuer } from './service-account-token.ts';
import { ServiceAccountTokenAuthenticator } from './service-account-token-authenticator.ts';
import { loadStaticTokenFile } from './static-token-file.ts';
import type { UserInfo } from './user-info.ts';
import { withAuthenticatedGroup } from './well-known-identities.ts';

export interface AccessControlOptions {
  /** kube-apiserver --token-auth-file. */
  tokenAuthFile?: string;
  /** kube-apiserver --service-account-issuer (K3s: https://kubernetes.default.svc.cluster.local). */
  serviceAccountIssuer?: string;
  /** kube-apiserver --api-audiences (default: the issuer). */
  apiAudiences?: string[];
}

/** What is read from disk before storage opens, so a bad file stops the server before it holds the database. */
export interface AccessControlFiles {
  serviceAccountKey: ServiceAccountKey;
  staticTokens?: Map<string, UserInfo>;
}

export async function loadAccessControlFiles(pkiDir: string, options: AccessControlOptions, log: Logger): Promise<AccessControlFiles> {
  const serviceAccountKey = await ensureServiceAccountKey(pkiDir);
  if (serviceAccountKey.generated) log.info({ path: serviceAccountKey.path }, 'generated service account signing key');
  if (!options.tokenAuthFile) return { serviceAccountKey };
  const tokens = await loadStaticTokenFile(options.tokenAuthFile);
  for (const warning of tokens.warnings) log.warn({ file: options.tokenAuthFile }, warning);
  const staticTokens = new Map([...tokens.users].map(([token, user]) => [token, withAuthenticatedGroup(user)]));
  log.info({ file: options.tokenAuthFile, users: staticTokens.size }, 'loaded static token file');
  return { serviceAccountKey, staticTokens };
}

export interface AccessControlDeps {
  store: Store;
  registry: ResourceRegistry;
  rest: RestStorage;
  files: AccessControlFiles;
  options: AccessControlOptions;
  now: () => Date;
  log: Logger;
}

/**
 * Authentication and authorization of the API server, assembled: who a request is (client
 * certificate, static token, service-account token), whether RBAC lets them, the RBAC bootstrap
 * policy and its controllers, the default service accounts, and the computed resources
 * (TokenRequest, access/rules/self-subject reviews).
 *
 * Constructing it loads the RBAC objects, reconciles the bootstrap policy and starts the
 * controllers (so the policy is in place before the server listens); stop() ends them.
 */
export class AccessControl {
  readonly virtual = new VirtualResources();
  private readonly authenticator: RequestAuthenticator;
  private readonly authorizer: RbacAuthorizer;
  private readonly escalation: EscalationGuard;
  private readonly index: RbacPolicyIndex;
  private readonly aggregation: ClusterRoleAggregationController;
  private readonly serviceAccounts: DefaultServiceAccountController;

  constructor(deps: AccessControlDeps) {
    const { store, registry, rest, files, options, now } = deps;
    const log = deps.log.child({ component: 'access-control' });
    const builtin = (group: string, resource: string): ResourceType => {
      const rt = registry.get(group, 'v1', resource);
      if (!rt) throw new Error(`built-in ${resource} resource missing`);
      return rt;
    };
    const issuer = options.serviceAccountIssuer ?? DEFAULT_SERVICE_ACCOUNT_ISSUER;
    const audiences = options.apiAudiences?.length ? options.apiAudiences : [issuer];

    this.index = new RbacPolicyIndex(log);
    this.index.start(store);
    reconcileBootstrapPolicy({ store, rest, clusterRoles: builtin('rbac.authorization.k8s.io', 'clusterroles'), clusterRoleBindings: builtin('rbac.authorization.k8s.io', 'clusterrolebindings'), log });
    this.aggregation = new ClusterRoleAggregationController({ index: this.index, store, rest, clusterRoles: builtin('rbac.authorization.k8s.io', 'clusterroles'), log });
    this.aggregation.start();
    this.authorizer = new RbacAuthorizer(this.index);
    this.escalation = new EscalationGuard(this.authorizer, this.index);

    this.serviceAccounts = new DefaultServiceAccountController({ store, rest, namespaces: builtin('', 'namespaces'), serviceAccounts: builtin('', 'serviceaccounts'), log });
    this.serviceAccounts.start();

    const key = files.serviceAccountKey;
    this.authenticator = new RequestAuthenticator({
      clientCerts: new ClientCertAuthenticator(),
      staticTokens: files.staticTokens,
      serviceAccountTokens: new ServiceAccountTokenAuthenticator({ store, key, issuer, audiences, now, log }),
    });

    const tokenIssuer = new ServiceAccountTokenIssuer(key, issuer);
    this.virtual.register('', 'serviceaccounts', 'token', tokenRequestHandler({ store, issuer: tokenIssuer, apiAudiences: audiences, now }));
    this.virtual.register('authorization.k8s.io', 'selfsubjectaccessreviews', '', selfSubjectAccessReviewHandler(this.authorizer));
    this.virtual.register('authorization.k8s.io', 'subjectaccessreviews', '', subjectAccessReviewHandler(this.authorizer));
    this.virtual.register('authorization.k8s.io', 'localsubjectaccessreviews', '', localSubjectAccessReviewHandler(this.authorizer));
    this.virtual.register('authorization.k8s.io', 'selfsubjectrulesreviews', '', selfSubjectRulesReviewHandler(this.authorizer));
    this.virtual.register('authentication.k8s.io', 'selfsubjectreviews', '', selfSubjectReviewHandler(now));
  }

  /** The requester, or undefined when no credential was presented or none was valid. */
  authenticate(req: IncomingMessage): Promise<UserInfo | undefined> {
    return this.authenticator.authenticate(req);
  }

  /** Throws the Kubernetes 403 when RBAC does not allow the request. */
  authorize(user: UserInfo, info: RequestInfo, query: URLSearchParams): void {
    const attrs = attributesOf(user, info, query);
    const decision = this.authorizer.authorize(attrs);
    if (!decision.allowed) throw forbiddenError(attrs, decision.reason);
  }

  /** The resource type as `user` writes it (RBAC escalation checks). */
  forUser(rt: ResourceType, user: UserInfo): ResourceType {
    return this.escalation.forUser(rt, user);
  }

  stop(): void {
    this.serviceAccounts.stop();
    this.aggregation.stop();
    this.index.stop();
  }
}
