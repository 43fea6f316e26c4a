// Reads the user a GET or PATCH /Users/{id} names in the same event-loop turn as the request's admission
// step, so both go to Redis in one auto-pipelined write and the request waits one round trip, not two.
// The read is only a head start: nothing from it reaches the client unless admission lets the request
// through (the route asks for it after admission), and an unauthenticated caller gets the same 401 at
// the same time, because the admission reply comes first on the connection.
import type { Request } from "express";
import type { DirectoryStore } from "../store/directory-store-api";
import type { StoredUser } from "../store/directory-types";

interface Prefetched {
  tenant: string;
  id: string;
  user: Promise<StoredUser | null>;
}

const started = new WeakMap<Request, Prefetched>();

/** `/Users/<id>` exactly as the user routes name it; ids are UUIDs, so anything escaped is left alone. */
const USER_PATH = /^\/Users\/([^/%?]+)\/?$/;

/**
 * Starts reading the user for GET and PATCH /Users/{id}. Called by the admission step once the request
 * carries a token and its address is not over the failed-authentication budget.
 */
export function prefetchUser(store: Pick<DirectoryStore, "getUser">) {
  return (req: Request, tenant: string): void => {
    if (req.method !== "GET" && req.method !== "PATCH") return;
    const id = USER_PATH.exec(req.path)?.[1];
    if (id === undefined) return;
    const user = store.getUser(tenant, id);
    // Admission may refuse the request; the route then never asks, and the failure is not unhandled.
    user.catch(() => undefined);
    started.set(req, { tenant, id, user });
  };
}

/** The user read during admission for this very tenant and id, or undefined (read it now). */
export function takePrefetchedUser(
  req: Request,
  tenant: string,
  id: string,
): Promise<StoredUser | null> | undefined {
  const entry = started.get(req);
  started.delete(req);
  return entry && entry.tenant === tenant && entry.id === id ? entry.user : undefined;
}
