// Emergency revoke from the person page: placeholder until the admin API's operation is merged.
import type { Request, Response } from "express";
import type { ConsoleDeps } from "./console-deps";
import { notice } from "./layout";

export const emergencyRevokeAction = (_deps: ConsoleDeps) => (_req: Request, res: Response) => {
  res.status(503).type("html").send(notice("error", "Emergency revoke is not available in this build.").text);
};
