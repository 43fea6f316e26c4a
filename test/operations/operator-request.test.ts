// The operations refuse a missing actor or reason themselves, so a future admin API that calls them
// directly cannot skip what the CLI enforces; the default actor names user and host.
import { checkOperatorRequest, operatorActor } from "../../src/operations/operator-request";
import { requestReconcile } from "../../src/operations/request-reconcile";
import type { OperatorDeps } from "../../src/operations/operator-request";

test("a blank reason or actor is BRIDGE_INVALID_VALUE before anything is touched", async () => {
  expect(() => checkOperatorRequest({ actor: "operator:a", reason: " " })).toThrow(
    expect.objectContaining({ code: "BRIDGE_INVALID_VALUE" }),
  );
  expect(() => checkOperatorRequest({ actor: "", reason: "INC-1" })).toThrow(
    expect.objectContaining({ code: "BRIDGE_INVALID_VALUE" }),
  );
  // No deps at all: the check comes first, so nothing can be enqueued or audited without a reason.
  await expect(
    requestReconcile({} as OperatorDeps, { tenant: "t", personId: "p" }, { actor: "operator:a", reason: "" }),
  ).rejects.toMatchObject({ code: "BRIDGE_INVALID_VALUE" });
});

test("the actor is the given name, else <user>@<host>", () => {
  expect(operatorActor("alice", "root", "ops-1")).toBe("operator:alice");
  expect(operatorActor(undefined, "root", "ops-1")).toBe("operator:root@ops-1");
  expect(operatorActor("  ", "root", "ops-1")).toBe("operator:root@ops-1");
});
