// The stall bench's shared pieces (bench/stall-bench.ts): how a request kind and its size are described,
// and the read rows (list pages, group reads, filters, member removals by value filter) at the limits.
import { request } from "node:http";

export const SEARCH = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";
export const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
export const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

export interface Limit {
  value: number;
  source: string;
}

/** The configured limit whose name matches, else issue #9's figure (named as the source). */
export function limit(settings: Map<string, number>, match: RegExp, fallback: number, avoid?: RegExp): Limit {
  for (const [name, value] of settings)
    if (match.test(name) && !avoid?.test(name)) return { value, source: `config ${name.slice(1)}` };
  return { value: fallback, source: "issue #9 figure (no config limit)" };
}

export interface Case {
  kind: string;
  size: Limit;
  method: string;
  path: string;
  body: () => unknown;
}

/** Users of about `maxBody` bytes each: 100 emails (multiValuedMaxEntries) of long values. */
export function heavyUser(i: number, maxBody: number, entries: number): unknown {
  const each = Math.floor((maxBody - 2_000) / entries) - 60;
  return {
    schemas: [USER],
    userName: `heavy${i}@bench.example`,
    emails: Array.from({ length: entries }, (_, j) => ({ value: `${"h".repeat(each)}${j}@bench.example` })),
  };
}

/**
 * Reads at the limits (issue #9 item 3, list pages): run after the writes above, so the bench group
 * holds the members the PUT rows gave it and the heavy users follow the member users in index order.
 */
export function readCases(
  settings: Map<string, number>,
  memberIds: string[],
  heavy: number,
  pageSize: number,
): Case[] {
  const pageBytes = limit(settings, /pageMaxBytes/, 0);
  const terms = limit(settings, /filterMaxTerms/, 64);
  const ops = limit(settings, /patchMaxOperations/, 1000);
  const orTerms = Array.from({ length: terms.value }, (_, i) => `userName sw "m${i}"`).join(" or ");
  const ids = memberIds.slice(0, ops.value);
  return [
    {
      kind: `GET /Users page of heavy users (count=${pageSize}, pageMaxBytes ${pageBytes.value.toLocaleString("en")})`,
      size: { value: heavy, source: "users of ~scim.maxBodyBytes each" },
      method: "GET",
      path: `/Users?startIndex=${memberIds.length + 1}&count=${pageSize}`,
      body: () => undefined,
    },
    {
      kind: `POST /.search page of heavy users (count=${pageSize})`,
      size: { value: heavy, source: "users of ~scim.maxBodyBytes each" },
      method: "POST",
      path: "/.search",
      body: () => ({ schemas: [SEARCH], startIndex: memberIds.length + 1, count: pageSize }),
    },
    {
      kind: `GET /Groups page with members (count=${pageSize})`,
      size: { value: memberIds.length, source: "members of the bench group" },
      method: "GET",
      path: `/Groups?count=${pageSize}`,
      body: () => undefined,
    },
    {
      kind: "GET of the group with all its members",
      size: { value: memberIds.length, source: "members of the bench group" },
      method: "GET",
      path: "/Groups/{group}",
      body: () => undefined,
    },
    {
      kind: `filter of ${terms.value} OR terms, GET /Users (count=${pageSize})`,
      size: terms,
      method: "GET",
      path: `/Users?count=${pageSize}&filter=${encodeURIComponent(orTerms)}`,
      body: () => undefined,
    },
    {
      kind: `last page of /Users (count=${pageSize})`,
      size: { value: pageSize, source: "config scim.maxPageSize" },
      method: "GET",
      path: `/Users?startIndex=${Math.max(1, memberIds.length - pageSize + 1)}&count=${pageSize}`,
      body: () => undefined,
    },
    {
      kind: "startIndex beyond the directory, GET /Users",
      size: { value: 2_147_483_647, source: "MAX_START_INDEX" },
      method: "GET",
      path: `/Users?startIndex=2147483647&count=${pageSize}`,
      body: () => undefined,
    },
    {
      kind: 'member removals by `members[value eq "…"]` paths per PATCH',
      size: { value: ids.length, source: ops.source },
      method: "PATCH",
      path: "/Groups/{group}",
      body: () => ({
        schemas: [PATCH],
        Operations: ids.map((id) => ({ op: "remove", path: `members[value eq "${id}"]` })),
      }),
    },
  ];
}

/**
 * One request whose answer is counted, not decoded: the bench's client shares the event loop it
 * measures, so decoding a multi-megabyte answer (or encoding a 10 MiB body) here would be counted
 * as the server's block. The body is passed already encoded; only the status comes back.
 */
export function measuredRequest(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: Buffer,
): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const out = request({
      host: "127.0.0.1",
      port,
      method,
      path,
      agent: false,
      headers: { ...headers, ...(body ? { "content-length": String(body.length) } : {}) },
    });
    out.on("error", reject);
    out.on("response", (res) => {
      let bytes = 0;
      res.on("data", (c: Buffer) => {
        bytes += c.length;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, bytes }));
      res.on("error", reject);
    });
    out.end(body);
  });
}
