// Sends one fuzz request byte for byte with node:http (fetch would normalise paths and refuse odd
// headers) or a raw socket, on a fresh connection each time, and reads the whole answer.
import { request } from "node:http";
import { connect } from "node:net";
import { gzipSync } from "node:zlib";

export interface WireRequest {
  method: string;
  /** Full path from the root; characters Node refuses are percent-encoded here, nothing else. */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** How long to wait for the answer (default 20 s). */
  timeoutMs?: number;
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** Parsed body, or undefined when it is empty or not JSON. */
  json?: unknown;
  /** Set when no answer came: reset, timeout. */
  failure?: string;
}

const TIMEOUT_MS = 20_000;

/** Node's client refuses bytes outside 0x21–0x7e in a path; encode those (as UTF-8) and keep the rest. */
export function sendablePath(path: string): string {
  return path.replace(/[^\x21-\x7e]/gu, (c) =>
    [...Buffer.from(c, "utf8")].map((b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`).join(""),
  );
}

/** The body as bytes, after the requested damage (issue #9: corrupt Content-Encoding → 500). */
export function encodeBody(
  body: string | undefined,
  encoding: "gzip" | "gzip-corrupt" | "invalid-utf8" | "truncate" | undefined,
  headers: Record<string, string>,
): Buffer | undefined {
  if (body === undefined) return undefined;
  const bytes = Buffer.from(body, "utf8");
  if (encoding === "gzip") {
    headers["content-encoding"] = "gzip";
    return gzipSync(bytes);
  }
  if (encoding === "gzip-corrupt") {
    headers["content-encoding"] = "gzip";
    const zipped = gzipSync(bytes);
    return Buffer.concat([zipped.subarray(0, Math.max(10, zipped.length >> 1)), Buffer.from([0xde, 0xad])]);
  }
  if (encoding === "invalid-utf8")
    return Buffer.concat([
      bytes.subarray(0, bytes.length >> 1),
      Buffer.from([0xff, 0xc3, 0x28]),
      bytes.subarray(bytes.length >> 1),
    ]);
  if (encoding === "truncate") return bytes.subarray(0, bytes.length >> 1);
  return bytes;
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

export function sendHttp(port: number, req: WireRequest): Promise<Answer> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = { host: `127.0.0.1:${port}`, ...req.headers };
    if (req.body) headers["content-length"] = String(req.body.length);
    let out: ReturnType<typeof request>;
    try {
      out = request({
        host: "127.0.0.1",
        port,
        method: req.method,
        path: sendablePath(req.path),
        headers,
        agent: false,
      });
    } catch (err) {
      // The client itself refused the request (an invalid header or method): nothing reached the server.
      resolve({ status: 0, headers: {}, text: "", failure: `client refused: ${(err as Error).message}` });
      return;
    }
    const timeout = req.timeoutMs ?? TIMEOUT_MS;
    out.setTimeout(timeout, () => out.destroy(new Error(`no answer within ${timeout} ms`)));
    out.on("error", (err) => resolve({ status: 0, headers: {}, text: "", failure: err.message }));
    out.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", (err) =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: "", failure: err.message }),
      );
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: parseJson(text) });
      });
    });
    out.end(req.body);
  });
}

/** Writes raw bytes and parses the first answer (status line, headers, Content-Length body). */
export function sendSocket(port: number, raw: string): Promise<Answer> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    const finish = () => {
      socket.destroy();
      const all = Buffer.concat(chunks).toString("utf8");
      const [head = "", ...rest] = all.split("\r\n\r\n");
      const [statusLine = "", ...lines] = head.split("\r\n");
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
      const headers: Record<string, string> = {};
      for (const l of lines) {
        const i = l.indexOf(":");
        if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
      }
      const length = headers["content-length"] ? Number(headers["content-length"]) : undefined;
      const body = rest.join("\r\n\r\n");
      const text = length === undefined ? body : Buffer.from(body).subarray(0, length).toString("utf8");
      resolve({
        status,
        headers,
        text,
        json: parseJson(text),
        ...(status ? {} : { failure: "no status line" }),
      });
    };
    socket.setTimeout(5_000, finish);
    socket.on("data", (c: Buffer) => {
      chunks.push(c);
      const text = Buffer.concat(chunks).toString("utf8");
      const length = /content-length: *(\d+)/i.exec(text)?.[1];
      const headEnd = text.indexOf("\r\n\r\n");
      if (headEnd >= 0 && (length === undefined || Buffer.byteLength(text) - headEnd - 4 >= Number(length)))
        finish();
    });
    socket.on("end", finish);
    socket.on("error", finish);
    socket.write(raw, "latin1");
  });
}
