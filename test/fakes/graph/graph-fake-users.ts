// GET /v1.0/users of the Graph fake, for the upcoming-leavers query: `$filter` on employeeLeaveDateTime
// with ge/le (an advanced query: `ConsistencyLevel: eventual` + `$count=true`, per
// https://learn.microsoft.com/graph/aad-advanced-queries) and `$select`.
import type { IncomingHttpHeaders } from "node:http";
import type { GraphFakeDirectory } from "./graph-fake-directory";

const TERM = /^employeeLeaveDateTime (ge|le|gt|lt) (\S+)$/;

function parseFilter(filter: string): Array<{ op: string; at: number }> | null {
  const terms = filter.split(" and ").map((t) => TERM.exec(t.trim()));
  if (terms.some((m) => !m || Number.isNaN(Date.parse(m[2] ?? "")))) return null;
  return terms.map((m) => ({ op: m?.[1] ?? "", at: Date.parse(m?.[2] ?? "") }));
}

function holds(value: number, t: { op: string; at: number }): boolean {
  if (t.op === "ge") return value >= t.at;
  if (t.op === "le") return value <= t.at;
  if (t.op === "gt") return value > t.at;
  return value < t.at;
}

export function answerUsersQuery(
  dir: GraphFakeDirectory,
  query: URLSearchParams,
  headers: IncomingHttpHeaders,
): { status: number; body: unknown } {
  const filter = query.get("$filter");
  const terms = filter === null ? [] : parseFilter(filter);
  if (terms === null)
    return {
      status: 400,
      body: { error: { code: "Request_UnsupportedQuery", message: "Unsupported filter." } },
    };
  if (filter !== null && (headers.consistencylevel !== "eventual" || query.get("$count") !== "true"))
    return {
      status: 400,
      body: {
        error: { code: "Request_UnsupportedQuery", message: "Needs ConsistencyLevel: eventual and $count." },
      },
    };
  const select = query.get("$select")?.split(",") ?? ["id", "userPrincipalName", "accountEnabled"];
  const value = [...dir.users.values()]
    .filter((u) => {
      if (terms.length === 0) return true;
      const at = u.employeeLeaveDateTime ? Date.parse(u.employeeLeaveDateTime) : null;
      return at !== null && terms.every((t) => holds(at, t));
    })
    .map((u) => Object.fromEntries(select.map((k) => [k, u[k as keyof typeof u] ?? null])));
  return { status: 200, body: { "@odata.count": value.length, value } };
}
