// Small request helpers the console pages share: the signed-in actor and CSRF token the auth left in
// res.locals, and single string values from the query or a form (repeated or odd values read as "").
import type { Request, Response } from "express";
import type { ConsoleActor } from "./console-deps";
import type { PageOptions } from "./layout";

export function actorOf(res: Response): ConsoleActor | undefined {
  return res.locals.actor as ConsoleActor | undefined;
}

/** The audit actor of a console action, e.g. "operator:alice" (the admin token's name). */
export function auditActor(res: Response): string {
  return `operator:${actorOf(res)?.name ?? "unknown"}`;
}

export function pageOptions(res: Response, title: string, section?: string): PageOptions {
  const options: PageOptions = { title };
  if (section) options.section = section;
  const actor = actorOf(res);
  if (actor) options.actor = actor;
  const csrf = res.locals.csrf as string | undefined;
  if (csrf) options.csrf = csrf;
  return options;
}

function single(value: unknown): string {
  return typeof value === "string" ? value.trim() : "";
}

export function queryText(req: Request, name: string): string {
  return single((req.query as Record<string, unknown>)[name]);
}

export function formText(req: Request, name: string): string {
  return single((req.body as Record<string, unknown> | undefined)?.[name]);
}
