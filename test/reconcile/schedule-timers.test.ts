// Timer targets: the next validity end becomes the delayed revocation, the next start the delayed
// grant, and a pending effect a confirm; past dates schedule nothing.
import type { DesiredGrant } from "../../src/access/desired-grant";
import { PRIORITY, timerHandoverPriority } from "../../src/reconcile/reconcile-job";
import { nextInstant, timerPriority, timerTargets } from "../../src/reconcile/schedule-timers";

const now = new Date("2026-11-26T12:00:00.000Z");
const g = (over: Partial<DesiredGrant>): DesiredGrant => ({
  system: "s",
  profile: "p",
  vendorRefs: ["r"],
  critical: false,
  reasons: ["x"],
  ...over,
});

describe("timerTargets", () => {
  it("picks the earliest future end and start, ignoring past ones", () => {
    const desired = [
      g({ notAfter: "2026-12-31T00:00:00.000Z" }),
      g({ profile: "q", notAfter: "2026-12-15T00:00:00.000Z", notBefore: "2026-11-01T00:00:00.000Z" }),
      g({ profile: "r", notBefore: "2026-12-01T00:00:00.000Z", notAfter: "2026-11-26T11:00:00.000Z" }),
    ];
    const t = timerTargets(desired, { holder: {}, entries: [] }, now, 60_000);
    expect(t.valid_until?.toISOString()).toBe("2026-12-15T00:00:00.000Z");
    expect(t.valid_from?.toISOString()).toBe("2026-12-01T00:00:00.000Z");
    expect(t.confirm).toBeNull();
  });

  it("schedules a confirm while any entry is pending", () => {
    const entries = [
      {
        profile: "p",
        action: "revoke" as const,
        state: "pending_programming" as const,
        vendorRefs: ["r"],
        reasons: [],
        requestedAt: "",
        updatedAt: "",
      },
    ];
    const t = timerTargets([], { holder: {}, entries }, now, 60_000);
    expect(t.confirm?.toISOString()).toBe("2026-11-26T12:01:00.000Z");
    expect(t.valid_until).toBeNull();
  });

  it("nextInstant returns null when nothing lies ahead", () => {
    expect(nextInstant([undefined, "2026-11-26T12:00:00.000Z"], now)).toBeNull();
  });
});

describe("timerTargets with open work items", () => {
  const effective = {
    profile: "p",
    action: "revoke" as const,
    state: "effective" as const,
    vendorRefs: ["r"],
    reasons: [],
    requestedAt: "",
    updatedAt: "",
  };
  it("rechecks a person with an open work item at the slower work-item interval", () => {
    const ledger = { holder: { workItems: ["wi-1"] }, entries: [effective] };
    const t = timerTargets([], ledger, now, 10_000, 300_000);
    expect(t.confirm?.toISOString()).toBe("2026-11-26T12:05:00.000Z");
  });
  it("a pending effect keeps the faster confirm even with an open work item", () => {
    const ledger = {
      holder: { workItems: ["wi-1"] },
      entries: [{ ...effective, state: "pending_programming" as const }],
    };
    expect(timerTargets([], ledger, now, 10_000, 300_000).confirm?.toISOString()).toBe(
      "2026-11-26T12:00:10.000Z",
    );
  });
  it("nothing open, nothing pending: no confirm", () => {
    expect(timerTargets([], { holder: {}, entries: [effective] }, now, 10_000, 300_000).confirm).toBeNull();
  });
});

describe("timer priorities (revocation first, ARCHITECTURE §2)", () => {
  const entry = (action: "grant" | "revoke", state: "pending_programming" | "effective") => ({
    profile: action,
    action,
    state,
    vendorRefs: ["r"],
    reasons: [],
    requestedAt: "",
    updatedAt: "",
  });
  it("a confirm of a pending revocation runs at priority 1, of a pending grant at 5", () => {
    const revoking = {
      holder: {},
      entries: [entry("grant", "pending_programming"), entry("revoke", "pending_programming")],
    };
    const granting = {
      holder: {},
      entries: [entry("grant", "pending_programming"), entry("revoke", "effective")],
    };
    expect(timerPriority("confirm", revoking)).toBe(PRIORITY.revocation);
    expect(timerPriority("confirm", granting)).toBe(PRIORITY.change);
    expect(timerPriority("valid_until", granting)).toBe(PRIORITY.revocation);
    expect(timerPriority("valid_from", revoking)).toBe(PRIORITY.change);
  });
  it("a due timer hands over at its own priority, never unset and never below its kind's", () => {
    expect(timerHandoverPriority("confirm", PRIORITY.revocation)).toBe(PRIORITY.revocation);
    expect(timerHandoverPriority("confirm", PRIORITY.change)).toBe(PRIORITY.change);
    expect(timerHandoverPriority("confirm", 0)).toBe(PRIORITY.change);
    expect(timerHandoverPriority("confirm", undefined)).toBe(PRIORITY.change);
    expect(timerHandoverPriority("valid_until", PRIORITY.change)).toBe(PRIORITY.revocation);
    expect(timerHandoverPriority("valid_from", PRIORITY.resync)).toBe(PRIORITY.change);
  });
});
