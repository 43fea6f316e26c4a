// The admin API's roles, ordered: a viewer reads, an operator also acts on persons and queues (always
// with a reason), an admin also manages admin tokens. Each role includes the ones below it.
export const ADMIN_ROLES = ["viewer", "operator", "admin"] as const;

export type AdminRole = (typeof ADMIN_ROLES)[number];

export function isAdminRole(value: unknown): value is AdminRole {
  return typeof value === "string" && (ADMIN_ROLES as readonly string[]).includes(value);
}

/** True when `held` is `needed` or above it. */
export function roleAllows(held: AdminRole, needed: AdminRole): boolean {
  return ADMIN_ROLES.indexOf(held) >= ADMIN_ROLES.indexOf(needed);
}

/** Who is calling the admin API, as require-role.ts puts it on `res.locals.actor`. */
export interface AdminActor {
  /** The admin token's name, e.g. "alice"; recorded in audit records as `operator:<name>`. */
  name: string;
  role: AdminRole;
  /** The admin token behind the request (a session remembers the token it was opened with). */
  tokenId: string;
}

/** The audit actor of an admin API caller (same form as the CLI's `operator:<user>@<host>`). */
export function auditActorOf(actor: AdminActor): string {
  return `operator:${actor.name}`;
}
