// A DirectoryReader that adds each person's operator suspension (an emergency revoke) to the snapshot,
// so everything that evaluates the mappings through it — the worker, the priority classifier, access
// status — desires nothing where an operator suspended the person, with no second code path.
import { OperatorSuspensions, type PersonSuspension } from "../operations/operator-suspensions";
import type { DirectoryReader, PersonSnapshot } from "../store/directory-types";
import type { RedisClient } from "../store/create-redis-client";

export function suspendingDirectory(directory: DirectoryReader, redis: RedisClient): DirectoryReader {
  const suspensions = new OperatorSuspensions(redis);
  const batchRead = directory.getPersons?.bind(directory);
  return {
    async getPerson(tenant, personId): Promise<PersonSnapshot | null> {
      const [person, suspension] = await Promise.all([
        directory.getPerson(tenant, personId),
        suspensions.get(tenant, personId),
      ]);
      return withSuspension(person, suspension);
    },
    // The suspensions' reads are issued together, so the connection's auto-pipelining sends them at once.
    ...(batchRead && {
      async getPersons(tenant: string, personIds: string[]): Promise<Array<PersonSnapshot | null>> {
        const [persons, suspended] = await Promise.all([
          batchRead(tenant, personIds),
          Promise.all(personIds.map((id) => suspensions.get(tenant, id))),
        ]);
        return persons.map((person, i) => withSuspension(person, suspended[i] ?? {}));
      },
    }),
    getGeneration: (tenant, personId) => directory.getGeneration(tenant, personId),
    scanPersonIds: (tenant, pageSize) => directory.scanPersonIds(tenant, pageSize),
    listGroups: (tenant) => directory.listGroups(tenant),
  };
}

function withSuspension(person: PersonSnapshot | null, suspension: PersonSuspension): PersonSnapshot | null {
  const systems = Object.keys(suspension);
  if (!person || systems.length === 0) return person;
  const lost = systems.filter((s) => suspension[s]?.lostKey === true);
  return { ...person, suspendedIn: systems, ...(lost.length > 0 ? { lostKeyIn: lost } : {}) };
}
