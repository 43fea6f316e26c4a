// The console's write actions, each answering an htmx form with a status fragment. They call the same
// src/operations functions as the CLI and the admin API: one implementation, several front ends.
import type { Request, Response } from "express";
import { isBridgeError } from "../errors/bridge-error";
import { clearAttention } from "../operations/clear-attention";
import { completeWorkItem } from "../operations/complete-work-item";
import type { OperatorDeps, OperatorRequest } from "../operations/operator-request";
import { requestReconcile } from "../operations/request-reconcile";
import type { ConsoleDeps } from "./console-deps";
import { notice } from "./layout";
import { auditActor, formText } from "./page-context";

export function operatorDeps(deps: ConsoleDeps): OperatorDeps {
  return {
    queues: deps.queues,
    configured: deps.configured,
    redis: deps.redis,
    audit: deps.audit,
    newId: deps.newId,
    directory: deps.store,
    access: deps.access,
    ledger: deps.ledger,
    clock: deps.clock,
  };
}

export type Action = (deps: ConsoleDeps, req: Request, request: OperatorRequest) => Promise<string>;

/** Runs an action for the signed-in operator; a refusal (no reason: InvalidValue; gone: NotFound) is a 4xx line. */
export function operatorAction(deps: ConsoleDeps, run: Action) {
  return async (req: Request, res: Response): Promise<void> => {
    const request = { actor: auditActor(res), reason: formText(req, "reason") };
    try {
      const done = await run(deps, req, request);
      res.type("html").send(notice("ok", done).text);
    } catch (err) {
      // The operations' refusals (no reason, same operator approving, request gone) are the operator's to read.
      const status = isBridgeError(err, "InvalidValue") ? 400 : isBridgeError(err, "NotFound") ? 404 : 0;
      if (!status) throw err;
      res
        .status(status)
        .type("html")
        .send(notice("error", (err as Error).message).text);
    }
  };
}

export const reconcileAction = (deps: ConsoleDeps) =>
  operatorAction(deps, async (d, req, request) => {
    const target = { tenant: String(req.params.tenant), personId: String(req.params.id) };
    const done = await requestReconcile(operatorDeps(d), target, request);
    return `Reconcile requested (${Object.keys(done.systems).join(", ") || "no key system"}).`;
  });

export const clearAttentionAction = (deps: ConsoleDeps) =>
  operatorAction(deps, async (d, req, request) => {
    const target = { tenant: formText(req, "tenant"), personId: formText(req, "personId") };
    const system = formText(req, "system");
    const cleared = await clearAttention(d, system ? { ...target, system } : target, request);
    return cleared.length ? "Cleared." : "There was no such flag (already cleared?).";
  });

export const closeWorkItemAction = (deps: ConsoleDeps) =>
  operatorAction(deps, async (d, req, request) => {
    const target = { tenants: await d.tenants(), id: formText(req, "id") };
    const item = await completeWorkItem(operatorDeps(d), target, request);
    return item ? "Closed; the person is being reconciled." : "No such open work item (already closed?).";
  });
