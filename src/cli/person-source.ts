// Where the mapping CLI commands read persons and groups from: the directory (through DirectoryReader,
// page by page) or a JSON file given with `--persons` (offline review of a mapping change).
import { readFileSync } from "node:fs";
import { createRedisClient } from "../store/create-redis-client";
import type { Config } from "../config/config-schema";
import { parsePersonsFile, type TenantPerson } from "../mapping/persons-file";
import { RedisDirectoryStore } from "../store/directory-store";
import type { DirectoryStore } from "../store/directory-store-api";
import type { DirectoryReader, GroupRef } from "../store/directory-types";

export interface PersonSource {
  persons(tenant: string): AsyncIterable<TenantPerson>;
  groups(tenant: string): Promise<GroupRef[]>;
  /** By id first, then by userName. */
  findPerson(tenant: string, idOrUserName: string): Promise<TenantPerson | null>;
  close(): Promise<void>;
}

/** Raised for problems the user can fix (bad file, directory unavailable); printed without a stack. */
export class PersonSourceError extends Error {
  readonly code = "BRIDGE_PERSON_SOURCE";
}

export function isPersonSourceError(err: unknown): err is PersonSourceError {
  return (err as { code?: unknown } | null)?.code === "BRIDGE_PERSON_SOURCE";
}

export function filePersonSource(path: string): PersonSource {
  let all: TenantPerson[];
  try {
    all = parsePersonsFile(readFileSync(path, "utf8"));
  } catch (err) {
    throw new PersonSourceError(`cannot read persons from ${path}: ${(err as Error).message}`);
  }
  return {
    async *persons(tenant) {
      for (const p of all) if (p.tenant === tenant) yield p;
    },
    async groups(tenant) {
      const byId = new Map<string, GroupRef>();
      for (const p of all) if (p.tenant === tenant) for (const g of p.groups) byId.set(g.id, g);
      return [...byId.values()];
    },
    async findPerson(tenant, key) {
      const inTenant = all.filter((p) => p.tenant === tenant);
      return inTenant.find((p) => p.user.id === key) ?? inTenant.find((p) => p.user.userName === key) ?? null;
    },
    async close() {},
  };
}

/** A directory that can also look a user up by userName (RedisDirectoryStore is both). */
export type PersonDirectory = DirectoryReader & Pick<DirectoryStore, "queryUsers">;

export function directoryPersonSource(directory: PersonDirectory, close: () => Promise<void>): PersonSource {
  return {
    async *persons(tenant) {
      for await (const page of directory.scanPersonIds(tenant, 1000)) {
        // One page in parallel: a round trip per person in sequence would take minutes for 100k.
        const snapshots = await Promise.all(page.map((id) => directory.getPerson(tenant, id)));
        for (const s of snapshots) if (s) yield { tenant, user: s.user, groups: s.groups };
      }
    },
    groups: (tenant) => directory.listGroups(tenant),
    async findPerson(tenant, key) {
      const byId = await directory.getPerson(tenant, key);
      if (byId) return { tenant, user: byId.user, groups: byId.groups };
      const filter = [[{ attr: "userName" as const, op: "eq" as const, value: key }]];
      const found = await directory.queryUsers(tenant, { filter, startIndex: 1, count: 1 });
      const user = found.resources[0];
      if (!user) return null;
      const snapshot = await directory.getPerson(tenant, user.id);
      return snapshot ? { tenant, user: snapshot.user, groups: snapshot.groups } : null;
    },
    close,
  };
}

/** `--persons file` when given, else the tenant directory in Redis. */
export async function openPersonSource(
  config: Config,
  personsFile: string | undefined,
): Promise<PersonSource> {
  if (personsFile) return filePersonSource(personsFile);
  const redis = createRedisClient(config, { maxRetriesPerRequest: 1 });
  return directoryPersonSource(new RedisDirectoryStore({ redis }), async () => void (await redis.quit()));
}
