// Answers requests Node's HTTP parser rejects before Express sees them (oversize headers, a malformed
// request line or header) with a SCIM Error body (RFC 7644 §3.12), where Node's default would send a
// bare status line. Written to the socket directly: there is no request or response object yet.
import type { Server } from "node:http";
import type { Duplex } from "node:stream";
import { SCIM_ERROR_URN } from "./scim-error";
import { SCIM_CONTENT_TYPE } from "./scim-http";

interface ParserError extends Error {
  code?: string;
  /** The bytes Node's parser had read (Node ≥ 12); tells a HEAD request apart. */
  rawPacket?: Buffer;
}

/** Status for a parser error code (Node's own choice of 431 and 408 kept). */
export function clientErrorStatus(code: string | undefined): 400 | 408 | 431 {
  if (code === "HPE_HEADER_OVERFLOW") return 431;
  if (code === "ERR_HTTP_REQUEST_TIMEOUT") return 408;
  return 400;
}

const REASONS = { 400: "Bad Request", 408: "Request Timeout", 431: "Request Header Fields Too Large" };
const DETAILS = {
  400: "Malformed HTTP request.",
  408: "The request took too long to arrive.",
  431: "Request headers are too large.",
};

/** The raw answer; a HEAD request gets the same head without the body (RFC 9110 §9.3.2). */
export function clientErrorResponse(status: 400 | 408 | 431, head = false): string {
  const body = JSON.stringify({ schemas: [SCIM_ERROR_URN], status: String(status), detail: DETAILS[status] });
  return [
    `HTTP/1.1 ${status} ${REASONS[status]}`,
    `Content-Type: ${SCIM_CONTENT_TYPE}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    "Connection: close",
    "",
    head ? "" : body,
  ].join("\r\n");
}

export function attachClientErrorHandler(server: Server): void {
  server.on("clientError", (err: ParserError, socket: Duplex) => {
    // As Node's default handler: a reset peer gets nothing, and a response already begun is not interrupted.
    const started = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent;
    if (err.code === "ECONNRESET" || !socket.writable || started) {
      socket.destroy();
      return;
    }
    const head = err.rawPacket?.subarray(0, 5).toString("latin1") === "HEAD ";
    socket.end(clientErrorResponse(clientErrorStatus(err.code), head));
  });
}
