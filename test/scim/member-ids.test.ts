// Member lists are turned straight into id lists (no member object per entry); the ids must be exactly
// those normaliseMembers keeps, in its order: first occurrence of each non-empty string id.
import fc from "fast-check";
import { memberIds, memberIdsInSlices, normaliseMembers } from "../../src/scim/normalise-values";

const id = fc.constantFrom("a", "b", "c", "", "id-1");
const entry = fc.oneof(
  id,
  fc.record({ value: id, display: fc.string() }, { requiredKeys: [] }),
  fc.record({ value: fc.constantFrom(1, null, true) }),
  fc.constantFrom(null, 7, [], ["a"]),
);

test("memberIds and memberIdsInSlices keep the ids normaliseMembers keeps", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(fc.array(entry, { maxLength: 12 }), entry, fc.constant(undefined)),
      async (v) => {
        const expected = normaliseMembers(v).map((m) => m.value);
        expect(memberIds(v)).toEqual(expected);
        expect(await memberIdsInSlices(v)).toEqual(expected);
      },
    ),
    { numRuns: 2000 },
  );
});
