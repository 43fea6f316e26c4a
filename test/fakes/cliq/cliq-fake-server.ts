// Starts the "CWM-like v0" CLIQ fake: HTTPS with mutual TLS by default (key-systems.md §1.4, §6.2 [inf]),
// or plain HTTP for unit tests; the certificate subject CN selects the API user (role + domains).
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";
import express, { type NextFunction, type Request, type Response } from "express";
import type { JournalEntry } from "../../contract/contract-harness";
import { type Clock, systemClock } from "../../../src/drivers/key-system-driver";
import { controlRoutes } from "./cliq-fake-control";
import { FaultScript, faultMiddleware, journalMiddleware, TokenBuckets } from "./cliq-fake-faults";
import { readPki } from "./cliq-fake-pki";
import { CWM_BASE_PATH, cwmRoutes } from "./cliq-fake-routes";
import { API_CERT_CN, defaultSeed } from "./cliq-fake-seed";
import { CliqFakeState, FakeClock } from "./cliq-fake-state";
import { type CliqFakeBehaviour, CliqFakeError, type CliqSeed, DEFAULT_BEHAVIOUR } from "./cliq-fake-types";

export interface CliqFakeOptions {
  /** Default true: HTTPS with a required client certificate. */
  tls?: boolean;
  /**
   * How a bad client certificate is refused [inf]: "tls" aborts the handshake (node:https
   * rejectUnauthorized), "http" completes it and answers 401 `certificate_rejected`.
   */
  certificateCheck?: "tls" | "http";
  clock?: Clock;
  behaviour?: Partial<CliqFakeBehaviour>;
  /** Replaces the default seed (defaultSeed()). */
  seed?: CliqSeed;
  port?: number;
  host?: string;
}

export interface CliqFake {
  /** Base URL of the vendor surface, e.g. https://127.0.0.1:PORT/cwm/api/v0. */
  baseUrl: string;
  /** Scheme, host and port; the control plane is at `${origin}/__fake`. */
  origin: string;
  state: CliqFakeState;
  clock: FakeClock;
  faults: FaultScript;
  journal: JournalEntry[];
  loginAttempts(): number;
  stop(): Promise<void>;
}

/** Without TLS (unit tests only) the caller names its certificate subject in this header. */
export const PLAIN_CLIENT_CN_HEADER = "x-fake-client-cn";

function clientCn(req: Request, tls: boolean, check: "tls" | "http"): string {
  if (!tls) return req.get(PLAIN_CLIENT_CN_HEADER) ?? API_CERT_CN;
  const socket = req.socket as TLSSocket;
  if (check === "http" && !socket.authorized) {
    throw new CliqFakeError(401, "certificate_rejected", "client certificate not accepted");
  }
  const cn = socket.getPeerCertificate()?.subject?.CN;
  return typeof cn === "string" ? cn : "";
}

function errorHandler(err: unknown, _req: Request, res: Response, _next: NextFunction): void {
  if (err instanceof CliqFakeError) {
    res.status(err.status).json({ code: err.code, message: err.message });
    return;
  }
  const status = (err as { status?: unknown }).status;
  if (status === 400) {
    res.status(400).json({ code: "invalid_json", message: "body is not valid JSON" });
    return;
  }
  res.status(500).json({ code: "internal", message: "internal error" });
}

export async function startCliqFake(options: CliqFakeOptions = {}): Promise<CliqFake> {
  const tls = options.tls ?? true;
  const check = options.certificateCheck ?? "tls";
  const clock = new FakeClock(options.clock ?? systemClock);
  const state = new CliqFakeState(clock, { ...DEFAULT_BEHAVIOUR, ...options.behaviour });
  state.seed(options.seed ?? defaultSeed());
  const faults = new FaultScript();
  const journal: JournalEntry[] = [];
  const buckets = new TokenBuckets();
  let logins = 0;

  const app = express();
  app.use(express.json({ limit: "1mb" }));
  app.use("/__fake", controlRoutes({ state, faults, journal, loginAttempts: () => logins }));
  app.use(CWM_BASE_PATH, journalMiddleware(journal), (req: Request, res: Response, next: NextFunction) => {
    const cn = clientCn(req, tls, check);
    if (faults.badCredentials)
      throw new CliqFakeError(401, "certificate_rejected", "client certificate revoked");
    const user = state.apiUsers.get(cn);
    if (!user) throw new CliqFakeError(401, "unknown_certificate", "certificate maps to no API user");
    res.locals.apiUser = user;
    const limit = state.behaviour.rateLimit;
    const wait = limit ? buckets.take(cn, limit, clock.now().getTime()) : 0;
    if (wait > 0) {
      res.setHeader("Retry-After", String(wait));
      throw new CliqFakeError(429, "rate_limited", "too many requests");
    }
    next();
  });
  app.use(CWM_BASE_PATH, faultMiddleware(faults), cwmRoutes(state));
  app.use((_req: Request, res: Response) =>
    res.status(404).json({ code: "not_found", message: "no such path" }),
  );
  app.use(errorHandler);

  const server = tls
    ? https.createServer(
        {
          key: readPki("server.key"),
          cert: readPki("server.pem"),
          ca: readPki("ca.pem"),
          requestCert: true,
          rejectUnauthorized: check === "tls",
          // TLS 1.2 makes the server verify the client certificate inside the handshake, so a refused
          // certificate fails the connection before any request is sent (with TLS 1.3 the refusal
          // arrives after the client already wrote its request and reads as a plain reset).
          maxVersion: "TLSv1.2",
        },
        app,
      )
    : http.createServer(app);
  server.on(tls ? "secureConnection" : "connection", () => {
    logins += 1;
  });
  server.on("tlsClientError", () => {
    logins += 1;
  });
  faults.onSessionExpiry = () => server.closeIdleConnections();
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve),
  );
  const { port } = server.address() as AddressInfo;
  const origin = `${tls ? "https" : "http"}://127.0.0.1:${port}`;
  return {
    baseUrl: origin + CWM_BASE_PATH,
    origin,
    state,
    clock,
    faults,
    journal,
    loginAttempts: () => logins,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
