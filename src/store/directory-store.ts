// The directory on Redis: implements the SCIM edge's DirectoryStore and the pipeline's DirectoryReader.
// The service keeps nothing in memory between calls; every write is one atomic script (see save-script).
import { randomUUID } from "node:crypto";
import { isRedisCluster, type RedisClient } from "./create-redis-client";
import type {
  DirectoryStore,
  GroupInput,
  GroupWithMembers,
  ListQuery,
  ListResult,
  MemberDelta,
  StoredGroup,
  UserInput,
  WriteContext,
  WriteResult,
} from "./directory-store-api";
import type { DirectoryReader, GroupRef, PersonSnapshot, StoredUser } from "./directory-types";
import { isResourceId, loadGroupRefs, loadGroups, loadUsers, refOf } from "./directory-reads";
import { findIds, type IdPage, type QueryScope } from "./find-ids";
import * as groups from "./group-writes";
import { fitPage, type PageFit, resourceSizes } from "./page-budget";
import { redisKeys } from "./redis-keys";
import { groupRefsOf, readPersonRecords } from "./read-person-records";
import { guardRedis } from "./redis-failure";
import { confirmReplicated, type ReplicaAck, trackConnectionCloses } from "./replica-ack";
import { decodeUser } from "./resource-codec";
import { HOLD_FIELDS, parseSignalHold, staleSuppressions } from "../signals/signal-hold";
import type { StoreContext } from "./store-context";
import * as users from "./user-writes";

export interface RedisDirectoryStoreOptions {
  /** Use REQUEST_PATH_REDIS_OPTIONS for the client on the SCIM request path. */
  redis: RedisClient;
  clock?: () => Date;
  newId?: () => string;
  /** Largest candidate list a combined filter may build in memory (default 10,000). */
  maxCandidates?: number;
  /** Compare-and-set attempts per write under contention (default 64). */
  maxAttempts?: number;
  /** Replicas that must confirm each write before it returns (default none: the master's answer). */
  replicaAck?: ReplicaAck;
  /**
   * The connection writes and their WAIT go on (default `redis`). WAIT blocks the connection it runs
   * on, so with replicaAck the request path's reads and admission step need another one.
   */
  writeRedis?: RedisClient;
}

/** A resource deleted between the index read and the load leaves the page and the total alike. */
/** The page as loaded: ids deleted since the index was read are not counted in the total either. */
function withoutVanished<T>(page: IdPage, ids: string[], resources: T[], bytes?: number): ListResult<T> {
  const totalResults = page.total - (ids.length - resources.length);
  return bytes === undefined ? { totalResults, resources } : { totalResults, resources, bytes };
}

export class RedisDirectoryStore implements DirectoryStore, DirectoryReader {
  private readonly ctx: StoreContext;
  /** ctx on the write connection: every write's own reads, staging and script, then its WAIT. */
  private readonly writeCtx: StoreContext;
  private readonly replicaAck: ReplicaAck;

  constructor(options: RedisDirectoryStoreOptions) {
    this.ctx = {
      redis: options.redis,
      clock: options.clock ?? (() => new Date()),
      newId: options.newId ?? randomUUID,
      maxCandidates: options.maxCandidates ?? 10_000,
      maxAttempts: options.maxAttempts ?? 64,
    };
    this.writeCtx = { ...this.ctx, redis: options.writeRedis ?? options.redis };
    this.replicaAck = options.replicaAck ?? { replicas: 0, timeoutMs: 0 };
    if (this.replicaAck.replicas > 0 && !isRedisCluster(this.writeCtx.redis))
      trackConnectionCloses(this.writeCtx.redis);
  }

  /**
   * Every directory write goes through here: the one place a write is acknowledged. It returns once
   * the configured replicas hold it (replica-ack.ts), so an IdP never gets 2xx for a change a Redis
   * failover could lose. The change's dirty-set entry and audit record are written by the same script.
   */
  private write<T>(tenant: string, operation: (ctx: StoreContext) => Promise<T>): Promise<T> {
    const ctx = this.writeCtx;
    // Every key a write touches carries the tenant's hash tag: on a cluster, its WAIT goes to that slot.
    const slotKey = redisKeys.dirtyPersons(tenant);
    return guardRedis(() => confirmReplicated(ctx.redis, this.replicaAck, () => operation(ctx), slotKey));
  }

  private get redis(): RedisClient {
    return this.ctx.redis;
  }

  createUser(tenant: string, input: UserInput, ctx: WriteContext): Promise<WriteResult<StoredUser>> {
    return this.write(tenant, (w) => users.createUser(w, tenant, input, ctx));
  }

  replaceUser(
    tenant: string,
    id: string,
    input: UserInput,
    ctx: WriteContext,
  ): Promise<WriteResult<StoredUser>> {
    return this.write(tenant, (w) => users.updateUser(w, tenant, id, () => input, ctx, "replace"));
  }

  updateUser(
    tenant: string,
    id: string,
    mutate: (current: StoredUser) => UserInput,
    ctx: WriteContext,
    seen?: StoredUser,
  ): Promise<WriteResult<StoredUser>> {
    return this.write(tenant, (w) => users.updateUser(w, tenant, id, mutate, ctx, "patch", seen));
  }

  deleteUser(tenant: string, id: string, ctx: WriteContext): Promise<WriteResult<null>> {
    return this.write(tenant, (w) => users.deleteUser(w, tenant, id, ctx));
  }

  getUser(tenant: string, id: string): Promise<StoredUser | null> {
    if (!isResourceId(id)) return Promise.resolve(null);
    return guardRedis(async () => decodeUser(id, await this.redis.get(redisKeys.user(tenant, id))));
  }

  queryUsers(tenant: string, query: ListQuery): Promise<ListResult<StoredUser>> {
    return guardRedis(async () => {
      const page = await findIds(
        this.scope(tenant, "user", query),
        query.filter,
        query.startIndex,
        query.count,
      );
      const fit = await this.fit(tenant, "user", page.ids, query.maxBytes, false);
      const ids = page.ids.slice(0, fit.count);
      return withoutVanished(page, ids, await loadUsers(this.redis, tenant, ids), fit.bytes);
    });
  }

  /** The page's share of ids within the byte budget (page-budget.ts); all of them without one. */
  private async fit(
    tenant: string,
    resource: "user" | "group",
    ids: string[],
    maxBytes: number | undefined,
    withMembers: boolean,
  ): Promise<Partial<PageFit> & { count: number }> {
    if (maxBytes === undefined) return { count: ids.length };
    return fitPage(await resourceSizes(this.redis, tenant, resource, ids, withMembers), maxBytes);
  }

  groupsOfUser(tenant: string, userId: string): Promise<GroupRef[]> {
    if (!isResourceId(userId)) return Promise.resolve([]);
    return guardRedis(async () => {
      const ids = await this.redis.smembers(redisKeys.userGroups(tenant, userId));
      return loadGroupRefs(this.redis, tenant, ids);
    });
  }

  createGroup(tenant: string, input: GroupInput, members: string[], ctx: WriteContext) {
    return this.write(tenant, (w) => groups.createGroup(w, tenant, input, members, ctx));
  }

  replaceGroup(
    tenant: string,
    id: string,
    input: GroupInput,
    members: string[],
    ctx: WriteContext,
  ): Promise<WriteResult<StoredGroup>> {
    return this.write(tenant, (w) => groups.updateGroup(w, tenant, id, () => input, ctx, members, "replace"));
  }

  updateGroup(
    tenant: string,
    id: string,
    mutate: (current: StoredGroup) => GroupInput,
    ctx: WriteContext,
  ): Promise<WriteResult<StoredGroup>> {
    return this.write(tenant, (w) => groups.updateGroup(w, tenant, id, mutate, ctx));
  }

  changeMembers(tenant: string, groupId: string, delta: MemberDelta, ctx: WriteContext) {
    return this.write(tenant, (w) => groups.changeMembers(w, tenant, groupId, delta, ctx));
  }

  deleteGroup(tenant: string, id: string, ctx: WriteContext): Promise<WriteResult<null>> {
    return this.write(tenant, (w) => groups.deleteGroup(w, tenant, id, ctx));
  }

  getGroup(tenant: string, id: string, options: { members: boolean }): Promise<GroupWithMembers | null> {
    if (!isResourceId(id)) return Promise.resolve(null);
    return guardRedis(async () => (await loadGroups(this.redis, tenant, [id], options.members))[0] ?? null);
  }

  queryGroups(
    tenant: string,
    query: ListQuery,
    options: { members: boolean },
  ): Promise<ListResult<GroupWithMembers>> {
    return guardRedis(async () => {
      const page = await findIds(
        this.scope(tenant, "group", query),
        query.filter,
        query.startIndex,
        query.count,
      );
      const fit = await this.fit(tenant, "group", page.ids, query.maxBytes, options.members);
      const ids = page.ids.slice(0, fit.count);
      const loaded = await loadGroups(this.redis, tenant, ids, options.members);
      return withoutVanished(page, ids, loaded, fit.bytes);
    });
  }

  /** User, groups and generation read in one MULTI, so the generation is never newer than the data. */
  getPerson(tenant: string, personId: string): Promise<PersonSnapshot | null> {
    if (!isResourceId(personId)) return Promise.resolve(null);
    return guardRedis(async () => {
      const replies = await this.redis
        .multi()
        .get(redisKeys.user(tenant, personId))
        .smembers(redisKeys.userGroups(tenant, personId))
        .get(redisKeys.personGeneration(tenant, personId))
        .hgetall(redisKeys.signalHold(tenant, personId))
        .exec();
      const [raw, groupIds, generation, holdFields] = (replies ?? []).map(([err, value]) => {
        if (err) throw err;
        return value;
      });
      const user = decodeUser(personId, raw as string | null);
      if (!user) return null;
      const groupRefs = await loadGroupRefs(this.redis, tenant, groupIds as string[]);
      const person: PersonSnapshot = { tenant, user, groups: groupRefs, generation: Number(generation ?? 0) };
      const hold = parseSignalHold((holdFields ?? {}) as Record<string, string>);
      if (hold) person.signalHold = await this.withoutStaleSuppressions(tenant, personId, groupRefs, hold);
      return person;
    });
  }

  /**
   * getPerson for many persons of one tenant, in order (null where getPerson gives null): one MULTI for
   * all of them and one MGET for all their groups, instead of two round trips per person.
   */
  getPersons(tenant: string, personIds: string[]): Promise<Array<PersonSnapshot | null>> {
    return guardRedis(async () => {
      const records = await readPersonRecords(this.redis, tenant, personIds);
      const groupIds = [...new Set(records.flatMap((r) => r?.groupIds ?? []))];
      const loaded = await loadGroups(this.redis, tenant, groupIds, false);
      const groups = new Map(loaded.map(({ group }) => [group.id, refOf(group)]));
      return Promise.all(
        records.map(async (record, i) => {
          if (!record) return null;
          const groupRefs = groupRefsOf(record.groupIds, groups);
          const person: PersonSnapshot = {
            tenant,
            user: record.user,
            groups: groupRefs,
            generation: record.generation,
          };
          const hold = parseSignalHold(record.holdFields);
          if (hold)
            person.signalHold = await this.withoutStaleSuppressions(
              tenant,
              personIds[i] as string,
              groupRefs,
              hold,
            );
          return person;
        }),
      );
    });
  }

  /**
   * A membership_removed suppression ends once SCIM removes that membership too (issue #11 item 1):
   * dropped here, where the person's groups are read, so a later SCIM re-add grants normally.
   */
  private async withoutStaleSuppressions(
    tenant: string,
    personId: string,
    groups: GroupRef[],
    hold: NonNullable<PersonSnapshot["signalHold"]>,
  ): Promise<PersonSnapshot["signalHold"]> {
    const stale = staleSuppressions(groups, hold);
    if (stale.length === 0) return hold;
    const fields = stale.map((g) => `${HOLD_FIELDS.groupPrefix}${g}`);
    await this.redis.hdel(redisKeys.signalHold(tenant, personId), ...fields);
    for (const g of stale) delete hold.groups[g];
    return hold;
  }

  getGeneration(tenant: string, personId: string): Promise<number> {
    return guardRedis(async () =>
      Number((await this.redis.get(redisKeys.personGeneration(tenant, personId))) ?? 0),
    );
  }

  /** Pages through the creation order by score, so inserts and deletes during a scan skip nobody else. */
  async *scanPersonIds(tenant: string, pageSize = 1_000): AsyncIterable<string[]> {
    const order = redisKeys.directoryOrder(tenant, "user");
    let after = "-inf";
    for (;;) {
      const reply = await guardRedis(() =>
        this.redis.zrangebyscore(order, after, "+inf", "WITHSCORES", "LIMIT", 0, pageSize),
      );
      const ids = reply.filter((_, i) => i % 2 === 0);
      if (ids.length > 0) yield ids;
      if (ids.length < pageSize) return;
      after = `(${reply[reply.length - 1]}`;
    }
  }

  listGroups(tenant: string): Promise<GroupRef[]> {
    return guardRedis(async () => {
      const ids = await this.redis.zrange(redisKeys.directoryOrder(tenant, "group"), 0, "-1");
      return loadGroupRefs(this.redis, tenant, ids);
    });
  }

  private scope(tenant: string, resource: "user" | "group", query: ListQuery): QueryScope {
    const scope: QueryScope = { redis: this.redis, tenant, resource, maxCandidates: this.ctx.maxCandidates };
    if (query.scanMax !== undefined) scope.scanMax = query.scanMax;
    return scope;
  }
}
