// A group POST/PUT's multi-valued checks run in slices (an Okta full push carries 200,000 members);
// they must accept and refuse exactly what the one-shot checks of every other body do.
import fc from "fast-check";
import { checkResourceBody, checkResourceBodyInSlices } from "../../src/scim/check-multi-valued";
import { isScimError } from "../../src/scim/scim-error";

async function outcome(run: () => unknown): Promise<string> {
  try {
    await run();
    return "ok";
  } catch (err) {
    if (!isScimError(err)) throw err;
    return `${err.status} ${err.scimType} ${err.message}`;
  }
}

const entry = fc.oneof(
  fc.record({ value: fc.string() }),
  fc.string(),
  fc.constantFrom(null, 1, true, [], [{}]),
);
const name = fc.constantFrom(
  "members",
  "Members",
  "groups",
  "emails",
  "roles",
  "displayName",
  "phoneNumbers",
);
const body = fc.dictionary(name, fc.oneof(fc.array(entry, { maxLength: 6 }), fc.string(), fc.constant(null)));

test("the sliced checks give the one-shot checks' answer on any body", async () => {
  await fc.assert(
    fc.asyncProperty(body, fc.integer({ min: 0, max: 4 }), async (b, max) => {
      expect(await outcome(() => checkResourceBodyInSlices(b, max))).toBe(
        await outcome(() => checkResourceBody(b, max)),
      );
    }),
    { numRuns: 2000 },
  );
});

test("a null far down a 200,000-member list is refused like a short one", async () => {
  const members: unknown[] = Array.from({ length: 200_000 }, (_, i) => ({ value: `id-${i}` }));
  expect(await outcome(() => checkResourceBodyInSlices({ members }, 100))).toBe("ok");
  members[199_999] = null;
  expect(await outcome(() => checkResourceBodyInSlices({ members }, 100))).toBe(
    await outcome(() => checkResourceBody({ members }, 100)),
  );
  expect(await outcome(() => checkResourceBody({ members }, 100))).toMatch(/^400 invalidValue/);
});
