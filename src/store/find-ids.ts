// Executes a SCIM filter (DNF of indexed terms) against the Redis indexes and returns one page of ids
// in a stable order with the exact total. Nothing here scans unindexed data: a term either reads an
// index range, or narrows a bounded candidate list; a filter too broad to combine is InvalidValue.
import type { RedisClient } from "./create-redis-client";
import { inCreationOrder } from "./creation-order";
import { BridgeError } from "../errors/bridge-error";
import { isResourceId } from "./directory-reads";
import type { Filter, FilterTerm } from "./directory-store-api";
import {
  type IndexEntry,
  MEMORY_ONLY,
  groupIndexEntries,
  idOfLexMember,
  normaliseValue,
  storedIndexOf,
  userIndexEntries,
  valueOfLexMember,
} from "./index-entries";
import { indexOfAttribute, matchesTerm } from "./match-term";
import { PAGE_SCRIPT } from "./page-script";
import { type DirectoryResource, redisKeys } from "./redis-keys";
import { decodeGroup, decodeUser } from "./resource-codec";
import { runScript } from "./run-script";
import { TimeSlicer } from "./yield-to-event-loop";

export const MSG_NOT_INDEXED = "filter attribute or operator is not indexed for this resource type";
export const MSG_TOO_BROAD = "filter matches too many resources to combine; narrow it with an eq term";
export const MSG_SCAN_TOO_BROAD =
  "filter would check more resources one by one than the scan limit allows; narrow it with an eq term on userName, externalId, displayName, emails or id";
/** Resources one filter may check one by one for scan terms when the query names no limit. */
export const DEFAULT_SCAN_MAX = 1_000;
export const MSG_BAD_TIME = "meta.lastModified filter value is not a valid date-time";

export interface QueryScope {
  redis: RedisClient;
  tenant: string;
  resource: DirectoryResource;
  /** Largest candidate list combined in memory (and largest index a `co` term may scan). */
  maxCandidates: number;
  /** Most resources one filter, across all its OR branches, may check for scan terms (ListQuery.scanMax). */
  scanMax?: number;
}

type Doc = NonNullable<ReturnType<typeof decodeUser>> | NonNullable<ReturnType<typeof decodeGroup>>;

/**
 * What one request has examined, shared by all its OR branches, so an OR of N unindexed terms costs
 * one load of the directory, not N (ARCHITECTURE §3: bounded work per request).
 */
interface Examined {
  /** Each document fetched and decoded once (null: gone), with its index entries once computed. */
  docs: Map<string, { doc: Doc; entries?: IndexEntry[] } | null>;
  /** Ids checked one by one for scan terms; together at most scanMax. */
  scanned: Set<string>;
  /** Every id of the type, read once for the branches no index answers. */
  everyId?: string[];
}

type Run = QueryScope & { examined: Examined };

export interface IdPage {
  total: number;
  ids: string[];
}

interface Range {
  key: string;
  mode: "all" | "lex" | "score";
  lo: string | Buffer;
  hi: string | Buffer;
  before: string | Buffer;
}

const USER_ATTRS = new Set([
  "id",
  "userName",
  "externalId",
  "displayName",
  "emails.value",
  "emails.work.value",
]);
const GROUP_ATTRS = new Set(["id", "displayName", "externalId", "members"]);

function assertIndexed(resource: DirectoryResource, term: FilterTerm): void {
  const attrs = resource === "user" ? USER_ATTRS : GROUP_ATTRS;
  const ok =
    attrs.has(term.attr) ||
    term.attr === "scan" ||
    term.attr === "meta.lastModified" ||
    (resource === "user" && (term.attr === "manager" || term.attr === "active"));
  if (!ok || (term.attr === "id" && term.op !== "eq")) throw new BridgeError("InvalidValue", MSG_NOT_INDEXED);
}

const isPoint = (t: FilterTerm) => t.op === "eq" && t.attr !== "active" && t.attr !== "scan";

function lexKey(scope: QueryScope, term: FilterTerm): string {
  const index = indexOfAttribute(term.attr);
  if (index === null) throw new BridgeError("InvalidValue", MSG_NOT_INDEXED);
  return redisKeys.directoryIndex(scope.tenant, scope.resource, storedIndexOf(index));
}

/** A term whose index yields a superset, so it must also be checked on the resource. */
function needsCheck(term: FilterTerm): boolean {
  if (term.attr === "scan") return true;
  const index = indexOfAttribute(term.attr);
  return index !== null && MEMORY_ONLY.has(index);
}

/** The index range answering a sw, gt/ge or active term in O(log N + page). */
function rangeOf(scope: QueryScope, term: FilterTerm): Range | null {
  if (term.attr === "active") {
    const key = term.value ? redisKeys.activeUsers(scope.tenant) : redisKeys.inactiveUsers(scope.tenant);
    return { key, mode: "all", lo: "", hi: "", before: "" };
  }
  if (term.attr === "meta.lastModified") {
    const ms = Date.parse(term.value);
    if (Number.isNaN(ms)) throw new BridgeError("InvalidValue", MSG_BAD_TIME);
    const key = redisKeys.directoryModified(scope.tenant, scope.resource);
    if (term.op === "gt") return { key, mode: "score", lo: `(${ms}`, hi: "+inf", before: `${ms}` };
    if (term.op === "ge") return { key, mode: "score", lo: `${ms}`, hi: "+inf", before: `(${ms}` };
    // lt/le: the page script counts "before" as the part of the range below `lo`; from -inf there is none.
    const hi = term.op === "lt" ? `(${ms}` : `${ms}`;
    return { key, mode: "score", lo: "-inf", hi, before: "(-inf" };
  }
  if (term.attr === "scan") return null;
  if (term.op !== "sw" || needsCheck(term)) return null;
  const index = indexOfAttribute(term.attr);
  if (index === null) return null;
  const prefix = normaliseValue(index, term.value);
  // 0xff never occurs in UTF-8, so every member starting with the prefix sorts below prefix+0xff.
  const hi = Buffer.concat([Buffer.from(`(${prefix}`), Buffer.from([0xff])]);
  return { key: lexKey(scope, term), mode: "lex", lo: `[${prefix}`, hi, before: `(${prefix}` };
}

async function readRange(scope: QueryScope, range: Range, offset: number, count: number): Promise<IdPage> {
  const args = [range.mode, range.lo, range.hi, range.before, offset, count];
  const reply = (await runScript(scope.redis, PAGE_SCRIPT, [range.key], args)) as [number, ...string[]];
  const [total, ...members] = reply;
  return { total, ids: range.mode === "lex" ? members.map(idOfLexMember) : members };
}

function tooBroad(n: number, scope: QueryScope): void {
  if (n > scope.maxCandidates) throw new BridgeError("InvalidValue", MSG_TOO_BROAD);
}

/** All ids matching one term, bounded by maxCandidates. */
async function candidatesOf(scope: QueryScope, term: FilterTerm): Promise<string[]> {
  const { redis, tenant } = scope;
  // Ids from a filter are checked like path ids: `id eq "<gid>:members"` would address another key.
  if ((term.attr === "id" || term.attr === "members") && !isResourceId(term.value)) return [];
  if (term.attr === "id") return [term.value];
  if (term.attr === "members") return redis.smembers(redisKeys.userGroups(tenant, term.value));
  const range = rangeOf(scope, term);
  if (range) {
    const page = await readRange(scope, range, 0, scope.maxCandidates + 1);
    tooBroad(page.total, scope);
    return page.ids;
  }
  const key = lexKey(scope, term);
  const index = indexOfAttribute(term.attr)!;
  const value = normaliseValue(index, String(term.value));
  if (term.op === "eq") {
    const hits = await redis.zrangebylex(
      key,
      `[${value}\0`,
      `(${value}\x01`,
      "LIMIT",
      0,
      scope.maxCandidates + 1,
    );
    tooBroad(hits.length, scope);
    return hits.map(idOfLexMember);
  }
  // `co`: a substring cannot use the lexicographic order, so scan the index only while it is small.
  tooBroad(await redis.zcard(key), scope);
  const all = await redis.zrange(key, 0, "-1");
  return all.filter((m) => valueOfLexMember(m).includes(value)).map(idOfLexMember);
}

/** Cost of a term as a driver: how many ids it would produce. */
async function sizeOf(scope: QueryScope, term: FilterTerm): Promise<number> {
  const range = rangeOf(scope, term);
  if (range) return (await readRange(scope, range, 0, 0)).total;
  return scope.redis.zcard(lexKey(scope, term));
}

/** Fetches (one MGET: cheaper to parse than a pipeline of GETs) the documents of `ids` not yet loaded. */
async function loadDocs(run: Run, ids: string[]): Promise<void> {
  const { redis, tenant, resource, examined } = run;
  const missing = [...new Set(ids.filter((id) => !examined.docs.has(id)))];
  if (missing.length === 0) return;
  const raws = await redis.mget(missing.map((id) => redisKeys[resource](tenant, id)));
  // An OR of prefix terms can make every user a candidate: decoding 10,000 documents in one go blocked
  // the event loop for ~50 ms (issue #9 item 3), so it runs in slices.
  const slicer = new TimeSlicer();
  for (let i = 0; i < missing.length; i++) {
    const id = missing[i] as string;
    const doc = resource === "user" ? decodeUser(id, raws[i] ?? null) : decodeGroup(id, raws[i] ?? null);
    examined.docs.set(id, doc ? { doc } : null);
    await slicer.pause();
  }
}

/** Per `members` term, per id: 1 when the group has that member. */
async function membershipReplies(run: Run, ids: string[], memberTerms: FilterTerm[]): Promise<unknown[]> {
  if (memberTerms.length === 0 || ids.length === 0) return [];
  const load = run.redis.pipeline();
  for (const t of memberTerms) {
    for (const id of ids) load.sismember(redisKeys.groupMembers(run.tenant, id), String(t.value));
  }
  return ((await load.exec()) ?? []).map(([err, value]) => {
    if (err) throw err;
    return value;
  });
}

async function narrow(run: Run, ids: string[], terms: FilterTerm[]): Promise<string[]> {
  await loadDocs(run, ids);
  const memberTerms = terms.filter((t) => t.attr === "members");
  const replies = await membershipReplies(run, ids, memberTerms);
  const indexedChecks = terms.some((t) => t.attr !== "scan" && t.attr !== "members");
  const out: string[] = [];
  const slicer = new TimeSlicer();
  for (let i = 0; i < ids.length; i++) {
    await slicer.pause();
    const id = ids[i] as string;
    const loaded = run.examined.docs.get(id);
    if (!loaded) continue;
    const { doc } = loaded;
    // Index entries only when a term compares through them (scan terms read the document itself).
    if (indexedChecks && !loaded.entries)
      loaded.entries = run.resource === "user" ? userIndexEntries(doc) : groupIndexEntries(doc);
    const entries = loaded.entries ?? [];
    let member = 0;
    const ok = terms.every((t) => {
      if (t.attr !== "members") return matchesTerm(doc, entries, t);
      const hit = replies[member + i] === 1;
      member += ids.length;
      return hit;
    });
    if (ok) out.push(id);
  }
  return out;
}

/** Counts ids checked one by one for scan terms against scanMax, once each across all OR branches. */
function countScanned(run: Run, ids: string[]): void {
  for (const id of ids) run.examined.scanned.add(id);
  if (run.examined.scanned.size > (run.scanMax ?? DEFAULT_SCAN_MAX))
    throw new BridgeError("InvalidValue", MSG_SCAN_TOO_BROAD);
}

/**
 * A branch no index answers (only scan terms): every resource of the type, when there are at most
 * scanMax of them; a larger directory needs an indexed term to narrow it (ARCHITECTURE §3: bounded work).
 */
async function scanAll(scope: QueryScope): Promise<string[]> {
  const order = redisKeys.directoryOrder(scope.tenant, scope.resource);
  const max = scope.scanMax ?? DEFAULT_SCAN_MAX;
  const page = await readRange(scope, { key: order, mode: "all", lo: "", hi: "", before: "" }, 0, max + 1);
  if (page.total > max) throw new BridgeError("InvalidValue", MSG_SCAN_TOO_BROAD);
  return page.ids;
}

async function conjunctionIds(scope: Run, terms: FilterTerm[]): Promise<string[]> {
  for (const t of terms) assertIndexed(scope.resource, t);
  const indexed = terms.filter((t) => t.attr !== "scan");
  if (indexed.length === 0) {
    scope.examined.everyId ??= await scanAll(scope);
    countScanned(scope, scope.examined.everyId);
    return narrow(scope, scope.examined.everyId, terms);
  }
  let driver = indexed.find(isPoint);
  if (!driver) {
    const sizes = await Promise.all(indexed.map((t) => sizeOf(scope, t)));
    driver = indexed[sizes.indexOf(Math.min(...sizes))];
  }
  if (!driver) return [];
  const candidates = [...new Set(await candidatesOf(scope, driver))];
  // Scan terms load and check each candidate: they count against scanMax, like a branch without an index.
  if (indexed.length < terms.length) countScanned(scope, candidates);
  const rest = terms.filter((t) => t !== driver || needsCheck(t));
  return rest.length === 0 ? candidates : narrow(scope, candidates, rest);
}

/** `startIndex` is 1-based; below 1 it means 1 (RFC 7644 §3.4.2.4). */
export async function findIds(
  scope: QueryScope,
  filter: Filter,
  startIndex: number,
  count: number,
): Promise<IdPage> {
  const offset = Math.max(1, Math.floor(startIndex)) - 1;
  const size = Math.max(0, Math.floor(count));
  if (!filter || filter.length === 0) {
    const order = redisKeys.directoryOrder(scope.tenant, scope.resource);
    return readRange(scope, { key: order, mode: "all", lo: "", hi: "", before: "" }, offset, size);
  }
  const only = filter.length === 1 && filter[0]?.length === 1 ? filter[0][0] : undefined;
  if (only) {
    assertIndexed(scope.resource, only);
    const range = rangeOf(scope, only);
    if (range) return readRange(scope, range, offset, size);
  }
  const run: Run = { ...scope, examined: { docs: new Map(), scanned: new Set() } };
  const matched = new Set<string>();
  for (const terms of filter) for (const id of await conjunctionIds(run, terms)) matched.add(id);
  // One hit (every `userName eq` lookup an IdP makes) needs no ordering; the caller drops an id that
  // vanished meanwhile from both the page and the total (loadPage in directory-store.ts).
  if (matched.size <= 1) return { total: matched.size, ids: offset === 0 && size > 0 ? [...matched] : [] };
  const order = redisKeys.directoryOrder(scope.tenant, scope.resource);
  const ordered = await inCreationOrder(scope.redis, order, [...matched]);
  return { total: ordered.length, ids: ordered.slice(offset, offset + size) };
}
