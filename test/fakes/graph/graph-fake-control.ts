// The Graph fake's HTTP control plane under /__fake/ (for `keybridge simulate entra` demos; tests call
// the directory in-process): change users and memberships, script faults, expire delta tokens.
import type { GraphFakeDirectory } from "./graph-fake-directory";

export interface ControlTarget {
  directory: GraphFakeDirectory;
  scriptFault(fault: {
    path: string;
    status: 429 | 503 | 500;
    retryAfterSeconds?: number;
    times: number;
  }): void;
  expireDeltaTokens(expiry?: "gone" | "syncStateNotFound"): void;
}

type Answer = { status: number; body: unknown };
const ok = (body: unknown = { ok: true }): Answer => ({ status: 200, body });

export function answerControl(target: ControlTarget, method: string, path: string, body: string): Answer {
  const dir = target.directory;
  const parts = path.split("/").filter(Boolean).slice(1); // after "__fake"
  const [what, id, action, member, memberAction] = parts;
  try {
    if (method === "GET" && what === "users" && !id) return ok([...dir.users.values()]);
    if (method === "POST" && what === "users" && !id) return ok(dir.addUser(JSON.parse(body || "{}")));
    if (method === "POST" && what === "users" && id && action === "disable") return ok(dir.disable(id));
    if (method === "POST" && what === "users" && id && action === "enable") return ok(dir.enable(id));
    if (method === "POST" && what === "users" && id && action === "leave") {
      const { at } = JSON.parse(body || "{}") as { at?: string };
      return ok(dir.updateUser(id, { employeeLeaveDateTime: at ?? null }));
    }
    if (method === "DELETE" && what === "users" && id) return ok(dir.delete(id));
    if (
      method === "POST" &&
      what === "groups" &&
      id &&
      action === "members" &&
      member &&
      memberAction === "remove"
    )
      return ok(dir.removeMember(id, member));
    if (method === "POST" && what === "faults") return ok(target.scriptFault(JSON.parse(body)));
    if (method === "POST" && what === "expire-delta-tokens") return ok(target.expireDeltaTokens());
  } catch (err) {
    return { status: 400, body: { error: (err as Error).message } };
  }
  return { status: 404, body: { error: "unknown control request" } };
}
