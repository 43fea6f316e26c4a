// The scope of a simulated (memory) key system: it lives nowhere, so it declares an empty scope and a
// stray `scope` in its KeySystem document is reported by `keybridge mappings check`.
import { z } from "zod";

export const memoryScopeSchema = z.strictObject({}).describe("memory key-system scope (none)");
