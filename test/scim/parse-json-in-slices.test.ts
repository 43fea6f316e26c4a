// The sliced parser big bodies go through (parse-json-in-slices.ts) must be JSON.parse with our checks:
// on any body, its bytes give exactly what parseJsonBody gives on the body's text (UTF-8 decoded, as
// body-parser did) and it refuses exactly what that refuses, with the same SCIM error. Small batches
// force its own walk over containers fast-check can generate.
import fc from "fast-check";
import { parseJsonBytesInSlices } from "../../src/scim/parse-json-in-slices";
import { parseJsonBody } from "../../src/scim/read-json-body";
import { isScimError } from "../../src/scim/scim-error";

const LIMITS = { maxNestingDepth: 6, maxStringLength: 24 };

type Outcome = { value: string } | { status: number; scimType?: string; detail: string };

function outcomeOf(run: () => unknown): Outcome {
  try {
    // JSON.stringify keeps member order and tells -0 from nothing; `__proto__` never gets this far.
    return { value: JSON.stringify(run()) };
  } catch (err) {
    if (!isScimError(err)) throw err;
    return { status: err.status, scimType: err.scimType, detail: err.message };
  }
}

/** What the one-shot path gives for a body: parseJsonBody on its decoded text. */
function wholeOutcome(body: string | Buffer): Outcome {
  const bytes = typeof body === "string" ? Buffer.from(body) : body;
  return outcomeOf(() => parseJsonBody(bytes.toString("utf8"), LIMITS));
}

async function slicedOutcome(body: string | Buffer, batchBytes: number): Promise<Outcome> {
  const bytes = typeof body === "string" ? Buffer.from(body) : body;
  try {
    return { value: JSON.stringify(await parseJsonBytesInSlices(bytes, { ...LIMITS, batchBytes })) };
  } catch (err) {
    if (!isScimError(err)) throw err;
    return { status: err.status, scimType: err.scimType, detail: err.message };
  }
}

const awkwardString = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom("__proto__", "\\ud800", "\ud83d\ude00", 'a"b', "a\\b", "x".repeat(40), "[{]}", ",:"),
);
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom(null, true, false, 0, -0.5, 1e21, 12),
    awkwardString,
    fc.array(tie("value"), { maxLength: 5 }),
    fc.dictionary(awkwardString, tie("value"), { maxKeys: 5 }),
  ),
})).value;

/** A JSON text with random JSON whitespace, and `\ud800`-style escapes kept as escapes. */
function render(value: unknown, space: string): string {
  return JSON.stringify(value, null, space).replaceAll("\\\\ud800", "\\ud800");
}

/** Small edits that make most texts invalid in the ways a parser can get wrong. */
const mutation = fc.tuple(
  fc.nat(),
  fc.constantFrom("", ",", "]", "}", "[", "{", '"', ":", " ", "\\", "1", "\u00a0"),
);

function mutate(text: string, [at, insert]: [number, string], drop: boolean): string {
  const i = text.length === 0 ? 0 : at % text.length;
  return text.slice(0, i) + insert + text.slice(drop ? i + 1 : i);
}

test("the sliced parser equals parseJsonBody on generated JSON, including every refusal", async () => {
  await fc.assert(
    fc.asyncProperty(
      json,
      fc.constantFrom("", " ", "\t", "\n  "),
      fc.integer({ min: 1, max: 64 }),
      async (v, sp, batch) => {
        const text = render(v, sp);
        expect(await slicedOutcome(text, batch)).toEqual(wholeOutcome(text));
      },
    ),
    { numRuns: 1500 },
  );
});

test("the sliced parser refuses exactly the mutated texts parseJsonBody refuses", async () => {
  await fc.assert(
    fc.asyncProperty(
      json,
      fc.array(mutation, { minLength: 1, maxLength: 3 }),
      fc.boolean(),
      fc.integer({ min: 1, max: 64 }),
      async (v, edits, drop, batch) => {
        const text = edits.reduce((t, e) => mutate(t, e, drop), render(v, " "));
        expect(await slicedOutcome(text, batch)).toEqual(wholeOutcome(text));
      },
    ),
    { numRuns: 3000 },
  );
});

test("named cases: deep, __proto__, surrogates, long strings, bad JSON and trailing text", async () => {
  const cases = [
    `{"a":${"[".repeat(7)}${"]".repeat(7)}}`,
    `[1,2,${"[".repeat(7)}`,
    '{"members":[{"value":"a"},{"__proto__":{"x":1}}]}',
    '{"a":"\\ud800","__proto__":1}',
    '["\\udc00", oops',
    `{"k":"${"y".repeat(25)}"}`,
    '{"a":1,}',
    "[1 2]",
    '{"a" 1}',
    '{"a":1} x',
    "\u00a0{}",
    "\u00a0 ",
    "\u2028",
    "   ",
    "\v{}",
    '{"name":"Zoë 💡 日本","members":[{"value":"é"}]}',
    '[1,[2,[3,{"b":[true,false,null,-1.5e-3]}]],"\\u00e9"]',
  ];
  for (const text of cases)
    for (const batch of [1, 4, 1024]) expect(await slicedOutcome(text, batch)).toEqual(wholeOutcome(text));
});

/** Any byte, including the ones no UTF-8 text holds (a broken client's or an attacker's body). */
const byteEdit = fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 3 }));

test("the sliced parser equals the one-shot path on bodies with arbitrary bytes edited in", async () => {
  await fc.assert(
    fc.asyncProperty(
      json,
      fc.array(byteEdit, { minLength: 1, maxLength: 3 }),
      fc.integer({ min: 1, max: 64 }),
      async (v, edits, batch) => {
        let body = Buffer.from(render(v, " "));
        for (const [at, bytes] of edits) {
          const i = body.length === 0 ? 0 : at % body.length;
          body = Buffer.concat([body.subarray(0, i), bytes, body.subarray(i)]);
        }
        expect(await slicedOutcome(body, batch)).toEqual(wholeOutcome(body));
      },
    ),
    { numRuns: 3000 },
  );
});

test("multi-byte characters and invalid UTF-8 next to every batch boundary decode as in the whole", async () => {
  const value = {
    members: Array.from({ length: 40 }, (_, i) => ({ value: `ü${"日".repeat(i % 5)}💡${i}` })),
  };
  const text = JSON.stringify(value);
  const broken = Buffer.concat([
    Buffer.from('{"a":"x'),
    Buffer.from([0xe2, 0x82]),
    Buffer.from('","b":[1,"\xff"]}'),
  ]);
  const lone = Buffer.concat([
    Buffer.from('["'),
    Buffer.from([0xc3]),
    Buffer.from('",'),
    Buffer.from([0xf0, 0x9f]),
    Buffer.from("]"),
  ]);
  for (const batch of [1, 2, 3, 7, 64, 4096]) {
    expect(await slicedOutcome(text, batch)).toEqual({ value: text });
    expect(await slicedOutcome(broken, batch)).toEqual(wholeOutcome(broken));
    expect(await slicedOutcome(lone, batch)).toEqual(wholeOutcome(lone));
  }
});
