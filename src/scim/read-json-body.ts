// Reads a SCIM request body as JSON with bounded work (ARCHITECTURE §3 "Hostile input"): size and
// compression through body-parser, nesting depth checked on the raw text before JSON.parse, then
// member names that could become prototypes and lone surrogates rejected before any route sees the body.
import express, { type NextFunction, type Request, type Response } from "express";
import { withinNestingDepth } from "./json-nesting-depth";
import { ScimError } from "./scim-error";
import { yieldToEventLoop } from "../store/yield-to-event-loop";

export interface JsonBodyLimits {
  maxBodyBytes: number;
  maxNestingDepth: number;
  /** Longest string value or member name (characters). */
  maxStringLength: number;
}

/** Both media types clients send (RFC 7644 §3.1; Entra/Okta send either); `+json` covers variants. */
const JSON_TYPES = ["application/scim+json", "application/json", "application/*+json"];

export const DETAIL_TOO_DEEP = "Request body nests objects and arrays too deeply.";
export const DETAIL_FORBIDDEN_NAME = 'Request body contains the member name "__proto__".';
export const DETAIL_LONE_SURROGATE = "Request body contains a lone UTF-16 surrogate.";
export const DETAIL_MALFORMED_JSON = "Request body is not valid JSON.";
export const DETAIL_STRING_TOO_LONG =
  "Request body contains a string longer than scim.limits.stringMaxLength.";

/**
 * JSON.parse makes `"__proto__"` an own data property, never a prototype (ECMA-262 §25.5.1), so a parsed
 * body is safe to hold; but every later `out[key] = value` copy would turn it into a prototype. We
 * reject such bodies rather than drop the key: no IdP sends it, so it only ever comes from an attack.
 * Both it and a lone surrogate (which Redis and the audit trail cannot store as UTF-8) can only reach the
 * parsed value through the literal name or a `\u` escape, so bodies without either skip the walk.
 */
const NEEDS_WALK = /__proto__|\\u/;

/** In a `u` regex a surrogate pair is one code point, so only a lone surrogate is a `Cs` character. */
const LONE_SURROGATE = /\p{Cs}/u;

function checkString(text: string, maxLength: number): void {
  // A 5 MB displayName would make every page that lists its owner megabytes long (and stall readers).
  if (text.length > maxLength) throw new ScimError(400, "invalidValue", DETAIL_STRING_TOO_LONG);
  if (LONE_SURROGATE.test(text)) throw new ScimError(400, "invalidValue", DETAIL_LONE_SURROGATE);
}

/** Depth-bounded by the scan before parsing, so the recursion here cannot overflow. */
function checkParsed(value: unknown, maxLength: number): void {
  if (typeof value === "string") {
    checkString(value, maxLength);
    return;
  }
  if (value === null || typeof value !== "object") return;
  if (Array.isArray(value)) {
    for (const item of value) checkParsed(item, maxLength);
    return;
  }
  if (Object.hasOwn(value, "__proto__")) throw new ScimError(400, "invalidSyntax", DETAIL_FORBIDDEN_NAME);
  for (const [key, item] of Object.entries(value)) {
    checkString(key, maxLength);
    checkParsed(item, maxLength);
  }
}

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
  if (NEEDS_WALK.test(text) || text.length > limits.maxStringLength)
    checkParsed(parsed, limits.maxStringLength);
  return parsed;
}

/** Bodies longer than this are handled a turn of the event loop after they are parsed. */
const BIG_BODY_CHARS = 64 * 1024;

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

/** Express middleware: body-parser reads text (limit on the decoded size, gzip/deflate/br), we parse. */
export function readJsonBody(limits: JsonBodyLimits) {
  const readText = express.text({ type: JSON_TYPES, limit: limits.maxBodyBytes, defaultCharset: "utf-8" });
  const parse = (req: Request, _res: Response, next: NextFunction): void => {
    if (typeof req.body !== "string") {
      next();
      return;
    }
    const big = req.body.length > BIG_BODY_CHARS;
    req.body = parseJsonBody(req.body, limits);
    // Parsing a big body and handling it are two stretches, not one (issue #9 item 3: ≤ 50 ms blocks).
    if (big) void yieldToEventLoop().then(() => next());
    else next();
  };
  return [requireUtf8, readText, parse];
}
