// `access status` text tells an operator what went wrong, not only an error code: the last error's
// message on the grant and on the needs-attention flag, and "not configured" for a system without settings.
import { type AccessStatus, formatAccessStatus } from "../../src/reconcile/read-access-status";

const error = {
  code: "DRIVER_INVALID_REQUEST",
  kind: "permanent",
  message: "iLOQ phone keys need a phone number (CanOrder 9)",
  at: "2026-12-01T10:00:00.000Z",
};

const status: AccessStatus = {
  tenant: "acme",
  personId: "p1",
  active: true,
  generation: 3,
  systems: [
    {
      system: "main-iloq",
      configured: true,
      grants: [
        {
          profile: "office",
          desired: true,
          action: "grant",
          state: "failed",
          vendorRefs: ["sa-1"],
          lastError: error,
          rules: ["staff-office"],
        },
      ],
      attention: { system: "main-iloq", personId: "p1", kind: "permanent", error, at: error.at },
      workItems: [],
    },
    { system: "cliq", configured: false, grants: [], attention: null, workItems: [] },
  ],
};

test("prints the last error's message on the grant and under the needs-attention flag", () => {
  const text = formatAccessStatus(status);
  expect(text).toContain(
    "    last error DRIVER_INVALID_REQUEST (permanent) at 2026-12-01T10:00:00.000Z: iLOQ phone keys need a phone number (CanOrder 9)",
  );
  expect(text).toContain(
    "  NEEDS ATTENTION: permanent DRIVER_INVALID_REQUEST since 2026-12-01T10:00:00.000Z\n    iLOQ phone keys need a phone number (CanOrder 9)",
  );
  expect(text).toContain("key system cliq (not configured: no keySystems.cliq settings;");
});
