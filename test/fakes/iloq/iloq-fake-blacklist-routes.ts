// Blocklist endpoints of the fake: block a lost key and order the S40 blacklist packet (§2.3, §2.5, §6.1.8).
import { canOrderBlacklist, isBlacklisted } from "./iloq-fake-checks";
import { findKey } from "./iloq-fake-lookup";
import { badRequest, type FakeRoute, invalidValue, ok, type RouteContext } from "./iloq-fake-route";
import { renderKey } from "./iloq-fake-render";
import { toUtcString } from "./iloq-fake-time";
import type { FakeBlacklistPacket, FakeKey, IloqFakeState } from "./iloq-fake-types";

export function packetOf(state: IloqFakeState, lockGroupId: string): FakeBlacklistPacket {
  let p = state.packets.get(lockGroupId);
  if (!p) {
    p = { BlacklistPacket_ID: `packet-${lockGroupId}`, HardDataVersion: 1, SoftDataVersion: 0, State: 3 };
    state.packets.set(lockGroupId, p);
  }
  return p;
}

/** False when already listed or when the key has no access rights (§2.4). */
const canAddKey = (ctx: RouteContext, key: FakeKey) =>
  !isBlacklisted(ctx.state, key.FNKey_ID) && key.planned.securityAccessIds.length > 0;

export const blacklistRoutes: FakeRoute[] = [
  {
    method: "GET",
    path: "Blacklists/CanAddKey/{id}",
    access: "lockgroup",
    handle: (ctx) => {
      const key = findKey(ctx);
      return key ? ok(canAddKey(ctx, key)) : invalidValue(ctx, "FNKey_ID");
    },
  },
  {
    method: "POST",
    path: "Blacklists/AddKey/{id}",
    access: "lockgroup",
    handle: (ctx) => {
      const key = findKey(ctx);
      if (!key) return invalidValue(ctx, "FNKey_ID");
      if (!canAddKey(ctx, key)) return badRequest("Key cannot be added to blacklist");
      ctx.state.blacklist.push({
        FNKey_ID: key.FNKey_ID,
        LockGroup_ID: key.LockGroup_ID,
        ChangeType: 1,
        BlackListDateUtc: toUtcString(ctx.clock.now()),
        BlacklistVersion: 0,
      });
      ctx.emitWebhook("key_blocklisted", key.LockGroup_ID, renderKey(key));
      return ok();
    },
  },
  {
    method: "GET",
    path: "Blacklists/CanOrderS40Blacklist",
    access: "lockgroup",
    handle: (ctx) => ok(canOrderBlacklist(ctx.state, ctx.lockGroup.LockGroup_ID, ctx.a)),
  },
  {
    method: "POST",
    path: "Blacklists/OrderS40Blacklist",
    access: "lockgroup",
    handle: (ctx) => {
      const group = ctx.lockGroup.LockGroup_ID;
      const code = canOrderBlacklist(ctx.state, group, ctx.a);
      if (code !== 0) return badRequest(`Blacklist cannot be ordered (CanOrderS40BlacklistResult ${code})`);
      // The blocklist version goes up by one per change (support.iloq.com, §2.5).
      const packet = packetOf(ctx.state, group);
      packet.SoftDataVersion += 1;
      packet.State = 1;
      for (const item of ctx.state.blacklist) {
        if (item.LockGroup_ID === group && item.BlacklistVersion === 0)
          item.BlacklistVersion = packet.SoftDataVersion;
      }
      return ok();
    },
  },
  {
    method: "GET",
    path: "Blacklists/CanRemoveKey/{id}",
    access: "lockgroup",
    handle: (ctx) => ok(isBlacklisted(ctx.state, ctx.params.id ?? "")),
  },
  {
    method: "DELETE",
    path: "Blacklists/RemoveKey/{id}",
    access: "lockgroup",
    handle: (ctx) => {
      const id = ctx.params.id ?? "";
      if (!isBlacklisted(ctx.state, id)) return invalidValue(ctx, "FNKey_ID");
      ctx.state.blacklist = ctx.state.blacklist.filter((b) => b.FNKey_ID !== id);
      return ok();
    },
  },
  {
    method: "GET",
    path: "Blacklists",
    access: "lockgroup",
    handle: (ctx) => {
      const group = ctx.lockGroup.LockGroup_ID;
      const items = ctx.state.blacklist
        .filter((b) => b.LockGroup_ID === group)
        .map((b) => {
          const key = ctx.state.keys.get(b.FNKey_ID);
          const person = key?.Person_ID ? ctx.state.persons.get(key.Person_ID) : undefined;
          return {
            FNKey_ID: b.FNKey_ID,
            ChangeType: b.ChangeType,
            BlackListDateUtc: b.BlackListDateUtc,
            BlacklistVersion: b.BlacklistVersion,
            KeyStamp: key?.Stamp ?? "",
            KeyTypeMask: key?.KeyTypeMask ?? 0,
            Name: key?.Description ?? "",
            PersonName: person ? `${person.FirstName} ${person.LastName}` : "",
            FNKeyBlacklistPacketLink_ID: null,
          };
        });
      return ok({
        BlacklistItems: items,
        BlacklistPacket: packetOf(ctx.state, group),
        OutsideUserZoneKeyCount: 0,
      });
    },
  },
];
