// Errors the admin API answers as JSON `{error, code}` with an HTTP status; codes are catalogued in
// src/errors/error-catalog.ts and docs/errors.md.
import type { NextFunction, Request, Response } from "express";
import { isBridgeError } from "../errors/bridge-error";
import type { Logger } from "../log/logger";

export const ADMIN_ERROR_CODES = {
  unauthenticated: "BRIDGE_ADMIN_UNAUTHENTICATED",
  forbidden: "BRIDGE_ADMIN_FORBIDDEN",
  csrf: "BRIDGE_ADMIN_CSRF",
  invalid: "BRIDGE_ADMIN_INVALID_REQUEST",
  notFound: "BRIDGE_ADMIN_NOT_FOUND",
} as const;

export class AdminError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "AdminError";
  }
}

export const unauthenticated = () =>
  new AdminError(401, ADMIN_ERROR_CODES.unauthenticated, "Missing or invalid admin token or session.");
export const forbidden = () =>
  new AdminError(403, ADMIN_ERROR_CODES.forbidden, "This admin route needs a higher role.");
export const csrfMissing = () =>
  new AdminError(403, ADMIN_ERROR_CODES.csrf, "A session write needs the X-Keybridge-CSRF header.");
export const invalidRequest = (message: string) => new AdminError(400, ADMIN_ERROR_CODES.invalid, message);
export const notFound = (message: string) => new AdminError(404, ADMIN_ERROR_CODES.notFound, message);

/** Express error handler of the admin router: AdminError and bad input as 4xx, anything else 500. */
export function renderAdminErrors(logger: Logger) {
  return (err: unknown, _req: Request, res: Response, _next: NextFunction): void => {
    if (err instanceof AdminError) {
      if (err.status === 401) res.setHeader("WWW-Authenticate", 'Bearer realm="keybridge-admin"');
      res.status(err.status).json({ error: err.message, code: err.code });
      return;
    }
    if (isBridgeError(err, "NotFound")) {
      res.status(404).json({ error: err.message, code: ADMIN_ERROR_CODES.notFound });
      return;
    }
    // Operations refuse a missing reason etc. with BridgeError InvalidValue; body-parser sets `status`.
    if (isBridgeError(err, "InvalidValue")) {
      res.status(400).json({ error: err.message, code: ADMIN_ERROR_CODES.invalid });
      return;
    }
    const status = (err as { status?: unknown }).status;
    if (typeof status === "number" && status >= 400 && status < 500) {
      res.status(status).json({ error: "Malformed request.", code: ADMIN_ERROR_CODES.invalid });
      return;
    }
    logger.error({ err }, "admin API request failed");
    res.status(500).json({ error: "Internal error.", code: "BRIDGE_ADMIN_INTERNAL" });
  };
}
