// Delta paging of the Graph fake: opaque `$skiptoken`/`$deltatoken` cursors, absolute same-origin
// `@odata.nextLink`/`@odata.deltaLink`, and the expired-token answers (410 Gone + Location, or a 400
// syncStateNotFound-style error) per https://learn.microsoft.com/graph/delta-query-overview.
import type { DeltaEntry, GraphFakeDirectory } from "./graph-fake-directory";

export type DeltaResource = "users" | "groups";

interface Cursor {
  /** Round start (null: baseline) and end sequence numbers, offset into the round's entries. */
  f: number | null;
  t: number;
  o: number;
  sel: string[];
  /** Token generation; an older one is expired. */
  e: number;
}

export interface DeltaPaging {
  pageSize: number;
  membersPerEntry: number;
  /** Insert an empty page with a nextLink before the first page of every round (Graph does this). */
  emptyFirstPage: boolean;
  epoch: number;
  expiry: "gone" | "syncStateNotFound";
}

export interface DeltaAnswer {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

const encode = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString("base64url");

function decode(token: string): Cursor | null {
  try {
    const c = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as Cursor;
    return typeof c.t === "number" && Array.isArray(c.sel) ? c : null;
  } catch {
    return null;
  }
}

const DEFAULT_SELECT: Record<DeltaResource, string[]> = {
  users: ["userPrincipalName", "accountEnabled", "employeeLeaveDateTime"],
  groups: ["displayName", "members"],
};

function entries(dir: GraphFakeDirectory, r: DeltaResource, c: Cursor, paging: DeltaPaging): DeltaEntry[] {
  return r === "users" ? dir.userDelta(c.f, c.t, c.sel) : dir.groupDelta(c.f, c.t, paging.membersPerEntry);
}

function expired(resource: DeltaResource, base: string, paging: DeltaPaging): DeltaAnswer {
  if (paging.expiry === "gone")
    return {
      status: 410,
      headers: { location: `${base}/v1.0/${resource}/delta` },
      body: { error: { code: "resyncRequired", message: "Resync required. Replace any local state." } },
    };
  return {
    status: 400,
    body: { error: { code: "syncStateNotFound", message: "The sync state generation is not found." } },
  };
}

/** One delta page for GET /v1.0/{resource}/delta with the given query. */
export function answerDelta(
  dir: GraphFakeDirectory,
  resource: DeltaResource,
  query: URLSearchParams,
  base: string,
  paging: DeltaPaging,
): DeltaAnswer {
  const skip = query.get("$skiptoken");
  const delta = query.get("$deltatoken");
  let cursor: Cursor | null;
  if (skip !== null) cursor = decode(skip);
  else if (delta === "latest") cursor = { f: dir.seq, t: dir.seq, o: 0, sel: [], e: paging.epoch };
  else if (delta !== null) {
    const from = decode(delta);
    cursor = from && { f: from.t, t: dir.seq, o: paging.emptyFirstPage ? -1 : 0, sel: from.sel, e: from.e };
  } else {
    const sel =
      query
        .get("$select")
        ?.split(",")
        .filter((s) => s !== "id") ?? DEFAULT_SELECT[resource];
    cursor = { f: null, t: dir.seq, o: paging.emptyFirstPage ? -1 : 0, sel, e: paging.epoch };
  }
  if (!cursor) return { status: 400, body: { error: { code: "badRequest", message: "Invalid token" } } };
  if (cursor.e < paging.epoch) return expired(resource, base, paging);
  const link = (param: string, c: Cursor) => `${base}/v1.0/${resource}/delta?${param}=${encode(c)}`;
  if (delta === "latest")
    return { status: 200, body: { value: [], "@odata.deltaLink": link("$deltatoken", cursor) } };
  if (cursor.o < 0)
    return { status: 200, body: { value: [], "@odata.nextLink": link("$skiptoken", { ...cursor, o: 0 }) } };
  const all = entries(dir, resource, cursor, paging);
  const page = all.slice(cursor.o, cursor.o + paging.pageSize);
  const more = cursor.o + paging.pageSize < all.length;
  const body: Record<string, unknown> = {
    "@odata.context": `${base}/v1.0/$metadata#${resource}`,
    value: page,
  };
  if (more) body["@odata.nextLink"] = link("$skiptoken", { ...cursor, o: cursor.o + paging.pageSize });
  else body["@odata.deltaLink"] = link("$deltatoken", { ...cursor, o: 0 });
  return { status: 200, body };
}
