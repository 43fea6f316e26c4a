// Runs SCIMMY's PatchOp validation (RFC 7644 §3.5.2) over the normalised operations, so malformed
// operations are rejected with SCIMMY's scimTypes before anything is read or written.
import { type PatchOperation, PATCH_OP_URN } from "./normalise-patch";
import { validatePatch } from "./scimmy-port";

export function validatePatchOperations(ops: PatchOperation[]): void {
  if (ops.length === 0) return;
  validatePatch({
    schemas: [PATCH_OP_URN],
    Operations: ops.map((op) =>
      op.op === "remove" && op.value === undefined
        ? { op: op.op, path: op.rawPath }
        : { op: op.op, path: op.rawPath, value: op.value },
    ),
  });
}
