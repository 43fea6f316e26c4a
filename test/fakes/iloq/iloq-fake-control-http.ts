// HTTP face of the fake's control plane under /__fake/ (§6): never called by drivers, only by tests and demos.
import type { FakeReply } from "./iloq-fake-route";
import type { IloqFakeServer } from "./iloq-fake-server";
import type { IloqFakeAssumptions } from "./iloq-fake-types";

function parse(raw: Buffer): Record<string, unknown> {
  try {
    const v = raw.length ? JSON.parse(raw.toString("utf8")) : {};
    return v && typeof v === "object" ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const date = (v: unknown) => (typeof v === "string" ? new Date(v) : undefined);

/**
 * POST /__fake/keys/{id}/phone-fetched | /programmed, POST /__fake/locks/sync {FLock_ID?},
 * POST /__fake/logs {FLock_ID, FNKey_ID?, AccessTypeMask?, goingUtc?, timestampUtc?},
 * POST /__fake/faults [rules], DELETE /__fake/faults, PATCH /__fake/assumptions {…},
 * POST /__fake/sessions/expire, POST /__fake/maintenance {on}, POST /__fake/get-url {url},
 * POST /__fake/webhooks/deliver-due, POST /__fake/keys/{id}/manager-edit {SecurityAccessIds},
 * GET /__fake/keys (id, holder, type, state of every key), GET|DELETE /__fake/journal.
 */
export async function handleControlRequest(
  fake: IloqFakeServer,
  method: string,
  url: URL,
  raw: Buffer,
): Promise<FakeReply> {
  const b = parse(raw);
  const path = url.pathname.slice("/__fake/".length).split("/");
  const [first, second, third] = path;
  const done: FakeReply = { status: 200, body: { ok: true } };
  try {
    if (first === "keys" && second && method === "POST") {
      if (third === "phone-fetched") fake.control.phoneFetched(second);
      else if (third === "programmed") fake.control.keyProgrammed(second);
      else if (third === "manager-edit")
        fake.control.managerEdit(second, (b.SecurityAccessIds as string[]) ?? []);
      else return { status: 404 };
      return done;
    }
    const route = `${method} ${first}${second ? `/${second}` : ""}`;
    switch (route) {
      case "POST locks/sync":
        fake.control.lockSync(typeof b.FLock_ID === "string" ? b.FLock_ID : undefined);
        return done;
      case "POST logs": {
        const log = fake.control.appendLog({
          FLock_ID: String(b.FLock_ID),
          FNKey_ID: typeof b.FNKey_ID === "string" ? b.FNKey_ID : null,
          AccessTypeMask: typeof b.AccessTypeMask === "number" ? b.AccessTypeMask : undefined,
          goingUtc: date(b.goingUtc),
          timestampUtc: date(b.timestampUtc),
        });
        return { status: 200, body: { DeviceLog_ID: log.DeviceLog_ID, AccessTypeMask: log.AccessTypeMask } };
      }
      case "POST faults":
        fake.faults.push(...(Array.isArray(b) ? b : [b]));
        return done;
      case "DELETE faults":
        fake.faults.length = 0;
        return done;
      case "PATCH assumptions":
        Object.assign(fake.assumptions, b as Partial<IloqFakeAssumptions>);
        return done;
      case "POST sessions/expire":
        fake.control.expireAllSessions();
        return done;
      case "POST maintenance":
        fake.control.setMaintenance(b.on === true);
        return done;
      case "POST get-url":
        fake.control.setGetUrl(typeof b.url === "string" ? b.url : null);
        return done;
      case "POST webhooks/deliver-due":
        await fake.deliverDueWebhooks();
        return done;
      case "GET keys":
        // What a demo needs to move a key's physical state: its id, holder, type and programming state.
        return {
          status: 200,
          body: [...fake.state.keys.values()].map((k) => ({
            FNKey_ID: k.FNKey_ID,
            Person_ID: k.Person_ID,
            KeyTypeMask: k.KeyTypeMask,
            PhoneNo: k.PhoneNo,
            State: k.State,
          })),
        };
      case "GET journal":
        return { status: 200, body: fake.journal };
      case "DELETE journal":
        fake.journal.length = 0;
        return done;
      default:
        return { status: 404, body: { error: "unknown control request" } };
    }
  } catch (err) {
    return { status: 400, body: { error: (err as Error).message } };
  }
}
