// The sliced member plan of a group PATCH (issue #9 item 3) must be the very plan memberPlan makes:
// same order, duplicates folded, an id both added and removed stays a member, malformed ids refused.
import { isBridgeError } from "../../src/errors/bridge-error";
import { memberPlan, memberPlanInSlices } from "../../src/store/member-plans";

const id = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;

test("memberPlanInSlices equals memberPlan on a 10,000-id delta with duplicates and overlaps", async () => {
  const add = Array.from({ length: 10_000 }, (_, i) => id(i % 7_000));
  const remove = Array.from({ length: 10_000 }, (_, i) => id(5_000 + (i % 6_000)));
  const plan = await memberPlanInSlices({ add, remove });
  expect(plan).toEqual(memberPlan({ add, remove }));
  expect(plan.add).toHaveLength(7_000);
  expect(plan.remove).toEqual(Array.from({ length: 4_000 }, (_, i) => id(7_000 + i)));
});

test("memberPlanInSlices refuses a malformed added id like memberPlan", async () => {
  const add = [...Array.from({ length: 3_000 }, (_, i) => id(i)), "bad:id"];
  let error: unknown;
  try {
    await memberPlanInSlices({ add });
  } catch (err) {
    error = err;
  }
  expect(isBridgeError(error, "InvalidValue")).toBe(true);
  expect(() => memberPlan({ add })).toThrow();
});
