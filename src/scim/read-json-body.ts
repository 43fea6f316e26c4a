// Reads a SCIM request body as JSON with bounded work (ARCHITECTURE §3 "Hostile input"): size and
// compression through body-parser, nesting depth checked on the raw text before JSON.parse, then
// member names that could become prototypes and lone surrogates rejected before any route sees the body.
import express, { type NextFunction, type Request, type Response } from "express";
import { checkParsed, DETAIL_MALFORMED_JSON, DETAIL_TOO_DEEP, needsWalk } from "./check-json-body";
import { withinNestingDepth } from "./json-nesting-depth";
import { parseJsonBytesInSlices } from "./parse-json-in-slices";
import { ScimError } from "./scim-error";
import { yieldToEventLoop } from "../store/yield-to-event-loop";

export {
  DETAIL_FORBIDDEN_NAME,
  DETAIL_LONE_SURROGATE,
  DETAIL_MALFORMED_JSON,
  DETAIL_STRING_TOO_LONG,
  DETAIL_TOO_DEEP,
} from "./check-json-body";

export interface JsonBodyLimits {
  maxBodyBytes: number;
  maxNestingDepth: number;
  /** Longest string value or member name (characters). */
  maxStringLength: number;
}

/** Both media types clients send (RFC 7644 §3.1; Entra/Okta send either); `+json` covers variants. */
const JSON_TYPES = ["application/scim+json", "application/json", "application/*+json"];

/**
 * Parses `text` as a SCIM body; an empty body is `{}` like body-parser's json(). A body no longer than
 * the string limit cannot hold a string over it, so ordinary bodies skip that walk as well.
 */
export function parseJsonBody(text: string, limits: Omit<JsonBodyLimits, "maxBodyBytes">): unknown {
  if (text.trim() === "") return {};
  if (!withinNestingDepth(text, limits.maxNestingDepth))
    throw new ScimError(400, "invalidSyntax", DETAIL_TOO_DEEP);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ScimError(400, "invalidSyntax", DETAIL_MALFORMED_JSON);
  }
  if (needsWalk(text, limits.maxStringLength)) checkParsed(parsed, limits.maxStringLength);
  return parsed;
}

/**
 * Bodies longer than this (in bytes) are parsed in slices (parse-json-in-slices.ts): JSON.parse takes
 * ~25-40 ms per MiB, so one call on a bigger body could pass the 50 ms target on a loaded machine.
 */
export const SLICED_BODY_BYTES = 256 * 1024;

/** Bodies longer than this are handled a turn of the event loop after they are parsed. */
const YIELD_FROM_BYTES = 64 * 1024;

/** The UTF-8 byte order mark, which body-parser's text decoding dropped and so do we. */
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]*)/i;

/**
 * JSON exchanged between systems is UTF-8 (RFC 8259 §8.1); other charsets are 415 like body-parser's
 * json(). Decoding UTF-8 turns invalid bytes into U+FFFD, so lone surrogates can only come from escapes.
 */
function requireUtf8(req: Request, _res: Response, next: NextFunction): void {
  const charset = CHARSET.exec(req.headers["content-type"] ?? "")?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== "utf-8" && charset !== "utf8")
    throw new ScimError(415, undefined, "Request bodies must be UTF-8 JSON.");
  next();
}

/**
 * Express middleware: body-parser reads the bytes (limit on the decoded size, gzip/deflate/br), we
 * parse. Bytes, not text: a big body is then never one string (see parse-json-in-slices.ts).
 */
export function readJsonBody(limits: JsonBodyLimits) {
  const readBytes = express.raw({ type: JSON_TYPES, limit: limits.maxBodyBytes });
  const parse = (req: Request, _res: Response, next: NextFunction): void => {
    if (!Buffer.isBuffer(req.body)) {
      next();
      return;
    }
    const raw: Buffer = req.body;
    const bytes = raw.subarray(0, 3).equals(BOM) ? raw.subarray(3) : raw;
    if (bytes.length <= SLICED_BODY_BYTES) {
      req.body = parseJsonBody(bytes.toString("utf8"), limits);
      // Parsing a big body and handling it are two stretches, not one (issue #9 item 3: ≤ 50 ms blocks).
      if (bytes.length > YIELD_FROM_BYTES) void yieldToEventLoop().then(() => next());
      else next();
      return;
    }
    parseJsonBytesInSlices(bytes, limits)
      .then(async (parsed) => {
        req.body = parsed;
        await yieldToEventLoop();
      })
      .then(() => next(), next);
  };
  return [requireUtf8, readBytes, parse];
}
