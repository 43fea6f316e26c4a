// HTTPS client for CWM with the API certificate (mutual TLS, key-systems.md §1.4): one keep-alive agent per
// driver, a hard per-request timeout, JSON in and out; connection failures leave as classified DriverErrors.
import http from "node:http";
import https from "node:https";
import { type CliqTransportSignal, classifyCliqTransport } from "./classify-cliq-error";
import type { CliqTlsMaterial } from "./cliq-options";

export interface CliqResponse {
  status: number;
  body: unknown;
  retryAfter?: string;
}

export class CliqTransport {
  private readonly agent: http.Agent;
  private readonly base: URL;

  constructor(
    baseUrl: string,
    tls: CliqTlsMaterial | null,
    private readonly timeoutMs: number,
  ) {
    this.base = new URL(baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`);
    this.agent =
      this.base.protocol === "https:"
        ? new https.Agent({ keepAlive: true, maxSockets: 8, cert: tls?.cert, key: tls?.key, ca: tls?.ca })
        : new http.Agent({ keepAlive: true, maxSockets: 8 });
  }

  /** Sends one request; any HTTP status is returned, only connection failures throw (DriverError). */
  request(method: string, path: string, body?: unknown): Promise<CliqResponse> {
    const url = new URL(path, this.base);
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const lib = url.protocol === "https:" ? https : http;
    return new Promise<CliqResponse>((resolve, reject) => {
      const signal: CliqTransportSignal = { phase: "connect", timedOut: false };
      const req = lib.request(url, {
        method,
        agent: this.agent,
        headers: {
          accept: "application/json",
          ...(payload ? { "content-type": "application/json", "content-length": payload.length } : {}),
        },
      });
      const timer = setTimeout(() => {
        signal.timedOut = true;
        req.destroy(new Error("request timed out"));
      }, this.timeoutMs);
      req.on("socket", (socket) => {
        // A refused client certificate fails inside the handshake (TLS 1.2); classify needs the phase.
        if (req.reusedSocket) {
          signal.phase = "exchange";
          return;
        }
        const tls = url.protocol === "https:";
        socket.once("connect", () => {
          signal.phase = tls ? "handshake" : "exchange";
        });
        if (tls) socket.once("secureConnect", () => (signal.phase = "exchange"));
      });
      req.on("error", (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(classifyCliqTransport({ ...signal, errorCode: err.code }, err));
      });
      req.on("response", (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", (err: NodeJS.ErrnoException) => {
          clearTimeout(timer);
          reject(classifyCliqTransport({ ...signal, errorCode: err.code ?? "ECONNRESET" }, err));
        });
        res.on("end", () => {
          clearTimeout(timer);
          const text = Buffer.concat(chunks).toString("utf8");
          let parsed: unknown = null;
          try {
            parsed = text ? JSON.parse(text) : null;
          } catch {
            parsed = null;
          }
          const retryAfter = res.headers["retry-after"];
          resolve({ status: res.statusCode ?? 0, body: parsed, retryAfter });
        });
      });
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
