// stringifyInSlices must write exactly JSON.stringify's text for every value our responses and Redis
// plans hold: the sliced writer is only a scheduling change.
import fc from "fast-check";
import { stringifyInSlices } from "../../src/store/stringify-in-slices";

test("equals JSON.stringify on generated JSON values, long flat lists and nested ones", async () => {
  const member = fc.record({ value: fc.uuid(), display: fc.option(fc.string(), { nil: undefined }) });
  const value = fc.oneof(
    fc.jsonValue(),
    fc.array(member, { maxLength: 1500 }),
    fc.record({
      Resources: fc.array(
        fc.record({ id: fc.uuid(), members: fc.array(member, { maxLength: 700 }), meta: fc.jsonValue() }),
        { maxLength: 4 },
      ),
    }),
    fc.array(fc.oneof(fc.string(), fc.constant(undefined), fc.array(fc.integer())), { maxLength: 1200 }),
  );
  await fc.assert(
    fc.asyncProperty(value, async (v) => {
      expect((await stringifyInSlices(v)).toString("utf8")).toBe(JSON.stringify(v));
    }),
    { numRuns: 300 },
  );
});
