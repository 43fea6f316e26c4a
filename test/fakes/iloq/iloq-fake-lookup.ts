// Lookups shared by the fake's key endpoints: a key of the selected LockGroup, slots from a request body.
import { bodyObject, type RouteContext, str } from "./iloq-fake-route";
import type { FakeKey, FakeTimeLimitSlot } from "./iloq-fake-types";

export function findKey(ctx: RouteContext, id = ctx.params.id ?? ""): FakeKey | null {
  const k = ctx.state.keys.get(id);
  return k && k.LockGroup_ID === ctx.lockGroup.LockGroup_ID ? k : null;
}

export function readSlots(raw: unknown): FakeTimeLimitSlot[] {
  if (!Array.isArray(raw)) return [];
  return raw.map((r) => {
    const s = bodyObject(r);
    return {
      SlotNo: typeof s.SlotNo === "number" ? s.SlotNo : -1,
      LimitDateLg: str(s.LimitDateLg),
      TimeLimitTitle_ID: str(s.TimeLimitTitle_ID),
      TimeLimitData: Array.isArray(s.TimeLimitData)
        ? (s.TimeLimitData as FakeTimeLimitSlot["TimeLimitData"])
        : [],
    };
  });
}
