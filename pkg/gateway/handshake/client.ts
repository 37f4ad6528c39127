/**
 * The source side of the handshake (Kuscia sourceInitiateHandShake, checkConnectionStatus), run by
 * the gateway chosen as the DomainRoute's revisionInitializer:
 *
 * - initiate: send this side's 16 bytes encrypted for the destination, get the destination's 16
 *   back encrypted for this domain, and store the 32-byte token (encrypted with this domain's own
 *   key) as the DomainRoute's ready revisionToken with the destination's revision and expiry.
 * - heartbeat: every 15 s ask the destination whether it still accepts this revision, and react:
 *   ready → mark ready; not found → forget the tokens (a new handshake follows); no authentication
 *   (the destination has no route for us) → not authorized; no answer for 45 s → unreachable.
 *
 * Requests go to `endpoint` (the gateway's own internal listener, which forwards on the
 * Kuscia-Handshake-Cluster header; in tests the destination's handler itself).
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import type http from 'node:http';
import type { Logger } from 'pino';
import type { DomainRoute, DomainRouteStatus } from '../../crd/index.ts';
import {
  TOKEN_HALF_SIZE,
  TOKEN_SIZE,
  decryptToken,
  encryptToken,
  kusciaPublicKeyOf,
  parseKusciaPublicKey,
  publicKeyHash,
  randomTokenBytes,
} from './crypto.ts';
import { GoJsonDecodeError } from './go-json.ts';
import {
  DestinationState,
  HandshakeType,
  decodeHandshakeResponse,
  decodeHeartbeatReply,
  encodeHandshakeRequest,
  type HandshakeRequest,
  type HandshakeResponse,
} from './messages.ts';
import { handshakePath, handshakeRequestHeaders, HandshakeHeaders, type MasterTarget } from './request-target.ts';
import type { DomainRouteStore } from './route-store.ts';
import { hundredYearsFrom, msToUnixNanos, rfc3339, unixNanosToMs } from './token-times.ts';
import { HandshakeTransportError, sendHandshakeRequest } from './transport.ts';

export interface HandshakeClientOptions {
  /** This domain (the source of the routes it handshakes for). */
  namespace: string;
  /** This domain's RSA key; its public half must be the routes' sourcePublicKey. */
  privateKey: KeyObject;
  /** This namespace's DomainRoutes. */
  routes: DomainRouteStore;
  /** Base URL requests are sent to (scheme://host:port), or one per route. */
  endpoint: string | ((route: DomainRoute) => string);
  log: Logger;
  now?: () => number;
  agent?: http.Agent;
  /** Per request (Kuscia: 10 s). */
  requestTimeoutMs?: number;
  /** POST attempts on transport errors, and the pause between them (Kuscia: 5 × 1 s). */
  retry?: { attempts: number; delayMs: number };
  /** Failed heartbeats for this long make the route unreachable (Kuscia: 45 s). */
  unreachableAfterMs?: number;
  /** For a lite: the master's namespace and path prefix (its route uses the master proxy cluster). */
  master?: MasterTarget;
}

/** The handshake did not produce a token; the caller retries later. */
export class HandshakeError extends Error {
  override readonly name = 'HandshakeError';
}

export type InitiateOutcome =
  | { done: true; revision: number; expirationTime: string }
  /** Nothing was attempted (Kuscia also gives up silently): the route names another source key. */
  | { done: false; reason: string };

export interface HeartbeatOutcome {
  /** Whether the destination answered. */
  reachable: boolean;
  /** Its answer. */
  state?: DestinationState;
  /** What went wrong, for the caller's log (transport failure or a state that needs attention). */
  problem?: string;
}

export class HandshakeClient {
  private readonly opts: HandshakeClientOptions;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly publicKey: KeyObject;
  /** This domain's key as the routes carry it (what pubhash is computed over). */
  private readonly publicKeyString: string;
  /** Route name → when its destination last answered a heartbeat (or first failed to). */
  private readonly lastHeartbeat = new Map<string, number>();
  /** Route name → the handshake in flight, so concurrent triggers share one. */
  private readonly inFlight = new Map<string, Promise<InitiateOutcome>>();

  constructor(opts: HandshakeClientOptions) {
    this.opts = opts;
    this.log = opts.log.child({ component: 'handshake-client', namespace: opts.namespace });
    this.now = opts.now ?? Date.now;
    this.publicKey = createPublicKey(opts.privateKey);
    this.publicKeyString = kusciaPublicKeyOf(this.publicKey);
  }

  initiate(route: DomainRoute): Promise<InitiateOutcome> {
    const name = route.metadata?.name ?? '';
    const running = this.inFlight.get(name);
    if (running) return running;
    const attempt = this.runInitiate(route).finally(() => this.inFlight.delete(name));
    this.inFlight.set(name, attempt);
    return attempt;
  }

  /** Drops what is remembered about a route (call when it is deleted). */
  forget(routeName: string): void {
    this.lastHeartbeat.delete(routeName);
  }

  private async runInitiate(route: DomainRoute): Promise<InitiateOutcome> {
    const name = route.metadata?.name ?? '';
    const spec = route.spec;
    const tokenConfig = spec?.tokenConfig;
    const log = this.log.child({ domainRoute: name });
    if (tokenConfig?.sourcePublicKey !== this.publicKeyString) {
      log.error('mismatch source public key: the route carries another key than this domain’s');
      return { done: false, reason: 'mismatch source public key' };
    }

    const request: HandshakeRequest = { domainId: spec?.source ?? '', type: '', requestTime: msToUnixNanos(this.now()) };
    let sourceHalf: Buffer | undefined;
    if (tokenConfig.tokenGenMethod === 'UID-RSA-GEN') {
      request.type = HandshakeType.UID;
    } else if (tokenConfig.tokenGenMethod === 'RSA-GEN') {
      request.type = HandshakeType.RSA;
      let destinationKey: KeyObject;
      try {
        destinationKey = parseKusciaPublicKey(tokenConfig.destinationPublicKey ?? '');
      } catch (err) {
        throw new HandshakeError(`DomainRoute ${name}: destination public key: ${(err as Error).message}`);
      }
      sourceHalf = randomTokenBytes(TOKEN_HALF_SIZE);
      request.tokenConfig = {
        token: encryptToken(destinationKey, sourceHalf),
        revision: BigInt(route.status?.tokenStatus?.revisionToken?.revision ?? 0),
        pubhash: publicKeyHash(this.publicKeyString),
      };
    } else {
      throw new HandshakeError(`TokenGenMethod must be UID-RSA-GEN or RSA-GEN`);
    }

    log.info({ type: request.type, lastRevision: route.status?.tokenStatus?.revisionToken?.revision ?? 0 }, 'starting handshake');
    const response = await this.postWithRetry(route, request);
    if (response.status.code !== 0 || !response.token) {
      throw new HandshakeError(`DomainRoute ${name}: handshake fail, return error:${response.status.message}`);
    }
    let token: Buffer;
    try {
      token = sourceHalf
        ? Buffer.concat([sourceHalf, decryptToken(this.opts.privateKey, response.token.token, TOKEN_HALF_SIZE)])
        : decryptToken(this.opts.privateKey, response.token.token, TOKEN_SIZE);
    } catch (err) {
      throw new HandshakeError(`DomainRoute ${name}: handshake fail, decryptToken error:${(err as Error).message}`);
    }
    return this.storeToken(name, token, response.token.revision, response.token.expirationTime);
  }

  /** Kuscia UpdateDomainRouteRevisionToken. */
  private async storeToken(name: string, token: Buffer, revision: number, expirationNanos: bigint): Promise<InitiateOutcome> {
    const now = this.now();
    const encrypted = encryptToken(this.publicKey, token);
    let expirationTime = '';
    await this.opts.routes.updateStatus(name, (latest) => {
      const status: DomainRouteStatus = (latest.status ??= {});
      const tokenStatus = (status.tokenStatus ??= {});
      status.isDestinationAuthorized = true;
      const expirationMs = (latest.spec?.tokenConfig?.rollingUpdatePeriod ?? 0) === 0 ? hundredYearsFrom(now) : unixNanosToMs(expirationNanos);
      expirationTime = rfc3339(expirationMs);
      tokenStatus.revisionToken = {
        ...tokenStatus.revisionToken,
        token: encrypted,
        revision,
        isReady: true,
        revisionTime: rfc3339(now),
        expirationTime,
      };
    });
    this.log.info({ domainRoute: name, revision }, 'handshake done; token stored');
    return { done: true, revision, expirationTime };
  }

  private async postWithRetry(route: DomainRoute, request: HandshakeRequest): Promise<HandshakeResponse> {
    const { attempts, delayMs } = this.opts.retry ?? { attempts: 5, delayMs: 1_000 };
    const body = encodeHandshakeRequest(request);
    let lastError: unknown;
    for (let i = 0; i < attempts; i++) {
      if (i > 0) await sleep(delayMs);
      try {
        return decodeHandshakeResponse(await this.send('POST', route, body));
      } catch (err) {
        if (!(err instanceof HandshakeTransportError) && !(err instanceof GoJsonDecodeError)) throw err;
        lastError = err;
        this.log.warn({ domainRoute: route.metadata?.name, attempt: i + 1, err: err.message }, 'handshake request failed');
      }
    }
    throw new HandshakeError(`DomainRoute ${route.metadata?.name}: handshake fail:${(lastError as Error).message}`);
  }

  async heartbeat(route: DomainRoute): Promise<HeartbeatOutcome> {
    const name = route.metadata?.name ?? '';
    const revision = route.status?.tokenStatus?.revisionToken?.revision ?? 0;
    let state: DestinationState;
    try {
      state = decodeHeartbeatReply(await this.send('GET', route, undefined, { [HandshakeHeaders.tokenRevision]: String(revision) })).state;
    } catch (err) {
      if (!(err instanceof HandshakeTransportError) && !(err instanceof GoJsonDecodeError)) throw err;
      await this.markUnreachableIfSilent(name);
      return { reachable: false, problem: err.message };
    }
    this.lastHeartbeat.set(name, this.now());
    await this.react(name, revision, state);
    return { reachable: true, state, ...problemOf(name, state) };
  }

  /** Applies the destination's answer (and reachability) in one status write. */
  private async react(name: string, revision: number, state: DestinationState): Promise<void> {
    await this.opts.routes.updateStatus(name, (latest) => {
      const status: DomainRouteStatus = (latest.status ??= {});
      let changed = false;
      if (status.isDestinationUnreachable) {
        status.isDestinationUnreachable = false;
        changed = true;
      }
      if (state === DestinationState.NoAuthentication) {
        if (!status.isDestinationAuthorized) return changed;
        status.isDestinationAuthorized = false;
        status.tokenStatus = {};
        this.log.warn({ domainRoute: name }, 'destination has no route for this domain: not authorized');
        return true;
      }
      // The answer is about the revision asked for; a handshake since then is not affected by it.
      const tokenStatus = status.tokenStatus ?? {};
      if ((tokenStatus.revisionToken?.revision ?? 0) !== revision) return changed;
      switch (state) {
        case DestinationState.TokenReady:
          if (tokenStatus.revisionToken && !tokenStatus.revisionToken.isReady) {
            tokenStatus.revisionToken.isReady = true;
            return true;
          }
          return changed;
        case DestinationState.TokenNotFound:
          if (tokenStatus.revisionToken?.token || tokenStatus.tokens !== undefined || tokenStatus.revisionToken?.isReady) {
            status.tokenStatus = {};
            this.log.info({ domainRoute: name, revision }, 'destination does not know this token revision; tokens cleared for a new handshake');
            return true;
          }
          return changed;
        default:
          return changed;
      }
    });
  }

  private async markUnreachableIfSilent(name: string): Promise<void> {
    const now = this.now();
    const last = this.lastHeartbeat.get(name);
    if (last === undefined) this.lastHeartbeat.set(name, now);
    if (now - (last ?? now) < (this.opts.unreachableAfterMs ?? 45_000)) return;
    await this.opts.routes.updateStatus(name, (latest) => {
      const status = (latest.status ??= {});
      if (status.isDestinationUnreachable) return false;
      status.isDestinationUnreachable = true;
      this.log.warn({ domainRoute: name }, 'destination unreachable');
    });
  }

  private send(method: 'GET' | 'POST', route: DomainRoute, body: string | undefined, extraHeaders: Record<string, string> = {}): Promise<string> {
    const base = typeof this.opts.endpoint === 'string' ? this.opts.endpoint : this.opts.endpoint(route);
    // Appended, not resolved: a base with a path keeps it (Kuscia concatenates too).
    const url = base.replace(/\/$/, '') + handshakePath(route, this.opts.master);
    return sendHandshakeRequest(method, url, handshakeRequestHeaders(route, this.opts.master, extraHeaders), body, {
      agent: this.opts.agent,
      timeoutMs: this.opts.requestTimeoutMs ?? 10_000,
    });
  }
}

/** Kuscia's messages for the answers that leave the route as it is but deserve a log line. */
function problemOf(name: string, state: DestinationState): { problem?: string } {
  switch (state) {
    case DestinationState.DomainIDInputInvalid:
      return { problem: `${name} destination return DomainIDInputInvalid, check 'Kuscia-Source' in header` };
    case DestinationState.TokenRevisionInputInvalid:
      return { problem: `${name} destination return TokenRevisionInputInvalid, check 'Kuscia-Token-Revision' in header` };
    case DestinationState.TokenNotReady:
      return { problem: `${name} destination token is not ready` };
    case DestinationState.NoAuthentication:
      return { problem: `${name} cant contact destination because destination authentication is false` };
    case DestinationState.InternalError:
      return { problem: `${name} destination return unkown error` };
    default:
      return {};
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
