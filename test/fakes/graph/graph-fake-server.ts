// A Microsoft Entra + Graph fake over real HTTP on 127.0.0.1 (specs/idp-signals.md §5.2): the token
// endpoint and authority documents unmodified msal-node accepts, /v1.0/users/delta, /v1.0/groups/delta and
// /v1.0/users (leave-date filter), a fault script (429/503 + Retry-After, foreign links, expired tokens)
// and a journal of every request. The directory is changed in-process through `directory`.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { answerControl } from "./graph-fake-control";
import { answerTokenRequest, type RegisteredApp } from "./graph-fake-auth";
import { answerDelta, type DeltaPaging } from "./graph-fake-delta";
import { GraphFakeDirectory } from "./graph-fake-directory";
import { answerUsersQuery } from "./graph-fake-users";

export interface GraphRequest {
  at: number;
  method: string;
  path: string;
  query: string;
  /** Whether a bearer token minted by this fake came with the request (Graph paths only). */
  authorized: boolean;
  status: number;
}

export interface GraphFault {
  /** Path prefix the fault applies to, e.g. "/v1.0/users/delta" or "/tid/oauth2". */
  path: string;
  status: 429 | 503 | 500;
  /** Seconds for the Retry-After header; omitted when undefined. */
  retryAfterSeconds?: number;
  times: number;
  /** Matching requests let through before the fault starts (e.g. fail only the last page of a round). */
  skip?: number;
  /** Only answers that would end a round (carry an @odata.deltaLink) fail: a crash before the link. */
  deltaLinkPagesOnly?: boolean;
}

export interface GraphFakeOptions {
  tenantId: string;
  app: RegisteredApp;
  pageSize?: number;
  membersPerEntry?: number;
  emptyFirstPage?: boolean;
}

export class GraphFakeServer {
  readonly directory = new GraphFakeDirectory();
  readonly requests: GraphRequest[] = [];
  readonly paging: DeltaPaging;
  private readonly faults: GraphFault[] = [];
  private readonly issued = new Set<string>();
  /** Replaces the origin of the next nextLink/deltaLink served (a hostile or broken service). */
  private foreignOrigin: string | null = null;
  private server: Server | null = null;
  url = "";

  constructor(readonly options: GraphFakeOptions) {
    this.paging = {
      pageSize: options.pageSize ?? 3,
      membersPerEntry: options.membersPerEntry ?? 2,
      emptyFirstPage: options.emptyFirstPage ?? true,
      epoch: 0,
      expiry: "gone",
    };
  }

  get tokenEndpoint(): string {
    return `${this.url}/${this.options.tenantId}/oauth2/v2.0/token`;
  }

  async start(port = 0, host = "127.0.0.1"): Promise<string> {
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => server.listen(port, host, resolve));
    this.server = server;
    this.url = `http://${host}:${(server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  scriptFault(fault: GraphFault): void {
    this.faults.push({ ...fault });
  }

  /** Every delta token issued so far is expired: 410 Gone (default) or 400 syncStateNotFound. */
  expireDeltaTokens(expiry: DeltaPaging["expiry"] = "gone"): void {
    this.paging.epoch += 1;
    this.paging.expiry = expiry;
  }

  serveForeignLinkOnce(origin: string): void {
    this.foreignOrigin = origin;
  }

  graphRequests(path: string): GraphRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  private takeFault(path: string, endsRound: boolean): GraphFault | undefined {
    const fault = this.faults.find(
      (f) => path.startsWith(f.path) && f.times > 0 && (!f.deltaLinkPagesOnly || endsRound),
    );
    if (!fault) return undefined;
    if ((fault.skip ?? 0) > 0) {
      fault.skip = (fault.skip ?? 0) - 1;
      return undefined;
    }
    fault.times -= 1;
    return fault;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.url);
    const auth = req.headers.authorization ?? "";
    const authorized = auth.startsWith("Bearer ") && this.issued.has(auth.slice(7));
    const record: GraphRequest = {
      at: Date.now(),
      method: req.method ?? "GET",
      path: url.pathname,
      query: url.search,
      authorized,
      status: 0,
    };
    this.requests.push(record);
    const body = await readBody(req);
    const reply = (status: number, json: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(json));
    };
    const answer = this.route(req.method ?? "GET", url, body, authorized, req);
    const endsRound = typeof (answer.body as Record<string, unknown>)?.["@odata.deltaLink"] === "string";
    const fault = this.takeFault(url.pathname, endsRound);
    if (fault) {
      const headers: Record<string, string> = {};
      if (fault.retryAfterSeconds !== undefined) headers["retry-after"] = String(fault.retryAfterSeconds);
      return reply(fault.status, { error: { code: "TooManyRequests", message: "Scripted fault." } }, headers);
    }
    return reply(answer.status, answer.body, answer.headers);
  }

  private route(
    method: string,
    url: URL,
    body: string,
    authorized: boolean,
    req: IncomingMessage,
  ): { status: number; body: unknown; headers?: Record<string, string> } {
    const tid = this.options.tenantId;
    const path = url.pathname;
    if (method === "POST" && path === `/${tid}/oauth2/v2.0/token`)
      return answerTokenRequest(new URLSearchParams(body), this.options.app, this.tokenEndpoint, this.issued);
    if (method === "GET" && path === `/${tid}/v2.0/.well-known/openid-configuration`)
      return { status: 200, body: this.openIdConfiguration() };
    if (method === "GET" && path === "/common/discovery/instance")
      return { status: 200, body: this.instanceDiscovery() };
    if (path.startsWith("/__fake/")) return answerControl(this, method, path, body);
    if (!path.startsWith("/v1.0/")) return notFound();
    if (!authorized)
      return {
        status: 401,
        body: { error: { code: "InvalidAuthenticationToken", message: "Access token is empty or invalid." } },
      };
    if (method !== "GET") return notFound();
    const resource = path === "/v1.0/users/delta" ? "users" : path === "/v1.0/groups/delta" ? "groups" : null;
    if (resource)
      return this.withForeignOrigin(
        answerDelta(this.directory, resource, url.searchParams, this.url, this.paging),
      );
    if (path === "/v1.0/users") return answerUsersQuery(this.directory, url.searchParams, req.headers);
    return notFound();
  }

  private withForeignOrigin<T extends { body: Record<string, unknown> }>(answer: T): T {
    const origin = this.foreignOrigin;
    if (!origin) return answer;
    for (const key of ["@odata.nextLink", "@odata.deltaLink"]) {
      const link = answer.body[key];
      if (typeof link === "string") {
        answer.body[key] = link.replace(this.url, origin);
        this.foreignOrigin = null;
      }
    }
    return answer;
  }

  /** The v2.0 OpenID configuration of the tenant, on this fake's own origin. */
  openIdConfiguration(): Record<string, string> {
    const base = `${this.url}/${this.options.tenantId}`;
    return {
      issuer: `${base}/v2.0`,
      token_endpoint: `${base}/oauth2/v2.0/token`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      jwks_uri: `${base}/discovery/v2.0/keys`,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    };
  }

  instanceDiscovery(): Record<string, unknown> {
    const host = new URL(this.url).host;
    return {
      tenant_discovery_endpoint: `${this.url}/${this.options.tenantId}/v2.0/.well-known/openid-configuration`,
      "api-version": "1.1",
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    };
  }
}

function notFound() {
  return { status: 404, body: { error: { code: "Request_ResourceNotFound", message: "Not found." } } };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
