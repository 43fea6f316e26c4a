// Admin API route for the auditor's evidence report: the same report `keybridge report evidence`
// builds (src/operations/report-evidence.ts), as html, csv or json; producing it is audited.
import { type Request, Router } from "express";
import {
  coreEvidenceDeps,
  isEvidenceFormat,
  readEvidenceWindow,
  renderEvidence,
  reportEvidence,
} from "../operations/report-evidence";
import type { AdminContext } from "./admin-context";
import { invalidRequest } from "./admin-error";
import { auditActorOf } from "./admin-role";
import { actorOf, requireRole } from "./require-role";

const text = (req: Request, name: string) => {
  const value = req.query[name];
  return typeof value === "string" ? value.trim() : "";
};

export function reportRoutes(ctx: AdminContext): Router {
  const r = Router();
  // A report is a read of the trail: a viewer (an auditor) may produce it; it is audited all the same.
  r.get("/reports/evidence", requireRole(ctx.auth, "viewer"), async (req, res) => {
    const format = text(req, "format") || "json";
    if (!isEvidenceFormat(format)) throw invalidRequest("format must be html, csv or json");
    const tenants = ctx.core.config.tenants.map((t) => t.id);
    const input = { tenant: text(req, "tenant"), since: text(req, "since"), until: text(req, "until") };
    const window = readEvidenceWindow(input, tenants);
    if (typeof window === "string") throw invalidRequest(window);
    const actor = auditActorOf(actorOf(res));
    const report = await reportEvidence(coreEvidenceDeps(ctx.core), window, actor);
    const document = renderEvidence(report, format);
    res.type(document.mediaType).send(document.text);
  });
  return r;
}
