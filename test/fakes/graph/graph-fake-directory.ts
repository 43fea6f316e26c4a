// The Entra directory inside the Graph fake: users, groups and a change log with sequence numbers, from
// which delta rounds are computed (https://learn.microsoft.com/graph/delta-query-overview).

export interface FakeUser {
  id: string;
  userPrincipalName: string;
  accountEnabled: boolean;
  employeeLeaveDateTime: string | null;
}

type ChangeBody =
  | { kind: "user"; id: string }
  | { kind: "member"; groupId: string; userId: string; added: boolean }
  | { kind: "group"; id: string };
type Change = ChangeBody & { seq: number };

export type DeltaEntry = Record<string, unknown>;

export class GraphFakeDirectory {
  readonly users = new Map<string, FakeUser>();
  readonly groups = new Map<string, { id: string; displayName: string; members: Set<string> }>();
  /** Users removed since creation, with the reason Graph gives in `@removed` (changed = soft delete). */
  private readonly removed = new Map<string, "changed" | "deleted">();
  private readonly log: Change[] = [];
  seq = 0;

  private note(change: ChangeBody): void {
    this.seq += 1;
    this.log.push({ ...change, seq: this.seq });
  }

  addUser(user: Partial<FakeUser> & { id: string }): FakeUser {
    const full: FakeUser = {
      userPrincipalName: `${user.id}@contoso.test`,
      accountEnabled: true,
      employeeLeaveDateTime: null,
      ...user,
    };
    this.users.set(full.id, full);
    this.removed.delete(full.id);
    this.note({ kind: "user", id: full.id });
    return full;
  }

  updateUser(id: string, patch: Partial<Omit<FakeUser, "id">>): void {
    const user = this.users.get(id);
    if (!user) throw new Error(`graph fake: no user ${id}`);
    Object.assign(user, patch);
    this.note({ kind: "user", id });
  }

  disable(id: string): void {
    this.updateUser(id, { accountEnabled: false });
  }

  enable(id: string): void {
    this.updateUser(id, { accountEnabled: true });
  }

  /** Soft delete (`changed`, restorable 30 days) or hard delete (`deleted`); memberships go too. */
  delete(id: string, reason: "changed" | "deleted" = "changed"): void {
    if (!this.users.delete(id)) throw new Error(`graph fake: no user ${id}`);
    this.removed.set(id, reason);
    for (const g of this.groups.values()) if (g.members.has(id)) this.removeMember(g.id, id);
    this.note({ kind: "user", id });
  }

  addGroup(id: string, displayName = id): void {
    this.groups.set(id, { id, displayName, members: new Set() });
    this.note({ kind: "group", id });
  }

  addMember(groupId: string, userId: string): void {
    this.group(groupId).members.add(userId);
    this.note({ kind: "member", groupId, userId, added: true });
  }

  removeMember(groupId: string, userId: string): void {
    this.group(groupId).members.delete(userId);
    this.note({ kind: "member", groupId, userId, added: false });
  }

  private group(id: string) {
    const g = this.groups.get(id);
    if (!g) throw new Error(`graph fake: no group ${id}`);
    return g;
  }

  private userEntry(id: string, select: string[]): DeltaEntry {
    const user = this.users.get(id);
    if (!user) return { id, "@removed": { reason: this.removed.get(id) ?? "deleted" } };
    const entry: DeltaEntry = { id };
    for (const key of select) if (key in user) entry[key] = user[key as keyof FakeUser];
    return entry;
  }

  /** Users changed in (from, to], or every current user for a baseline (from = null). */
  userDelta(from: number | null, to: number, select: string[]): DeltaEntry[] {
    if (from === null) return [...this.users.keys()].map((id) => this.userEntry(id, select));
    const ids = new Set<string>();
    for (const c of this.log) if (c.seq > from && c.seq <= to && c.kind === "user") ids.add(c.id);
    return [...ids].map((id) => this.userEntry(id, select));
  }

  /**
   * Groups changed in (from, to] with `members@delta` (removed members carry `@removed`), or every group
   * with all its members for a baseline. Large groups are split across entries, as Graph does.
   */
  groupDelta(from: number | null, to: number, membersPerEntry: number): DeltaEntry[] {
    const members = new Map<string, Map<string, boolean>>();
    const touched = new Set<string>();
    if (from === null) {
      for (const g of this.groups.values()) {
        touched.add(g.id);
        members.set(g.id, new Map([...g.members].map((u) => [u, true])));
      }
    } else {
      for (const c of this.log) {
        if (c.seq <= from || c.seq > to) continue;
        if (c.kind === "group") touched.add(c.id);
        if (c.kind !== "member") continue;
        touched.add(c.groupId);
        const m = members.get(c.groupId) ?? new Map<string, boolean>();
        m.set(c.userId, c.added);
        members.set(c.groupId, m);
      }
    }
    return [...touched].flatMap((id) => this.groupEntries(id, members.get(id), membersPerEntry));
  }

  private groupEntries(id: string, members: Map<string, boolean> | undefined, size: number): DeltaEntry[] {
    const g = this.groups.get(id);
    const all = [...(members ?? new Map()).entries()].map(([userId, added]) =>
      added
        ? { "@odata.type": "#microsoft.graph.user", id: userId }
        : { "@odata.type": "#microsoft.graph.user", id: userId, "@removed": { reason: "deleted" } },
    );
    const out: DeltaEntry[] = [];
    for (let i = 0; i === 0 || i < all.length; i += size)
      out.push({ id, displayName: g?.displayName ?? id, "members@delta": all.slice(i, i + size) });
    return out;
  }
}
