// Builds the IdP push receivers for the API process when any tenant configures one: settings (with
// their secrets) checked at start-up, the durable inbox and its periodic drain, the /hooks router.
import type { Router } from "express";
import type { SignalChannel } from "../signals/idp-signal";
import { hookRoutes } from "../signals/hook-routes";
import { resolveHookSettings } from "../signals/hook-settings";
import { SignalInbox } from "../signals/signal-inbox";
import type { Core } from "./build-core";
import { buildSignalDeps } from "./build-signal-deps";

export interface SignalHooks {
  router: Router;
  inbox: SignalInbox;
  close(): Promise<void>;
}

export function startSignalHooks(core: Core): SignalHooks | null {
  const settings = resolveHookSettings(core.config);
  if (settings.okta.size === 0 && settings.sailpoint.size === 0) return null;
  const deps = buildSignalDeps(core);
  const inbox = new SignalInbox(deps, { confirmWrite: core.confirmWrite });
  const inboxes: Array<{ tenant: string; channel: SignalChannel }> = [
    ...[...settings.okta.keys()].map((tenant) => ({ tenant, channel: "okta-hook" as const })),
    ...[...settings.sailpoint.keys()].map((tenant) => ({ tenant, channel: "sailpoint" as const })),
  ];
  inbox.start(inboxes);
  const router = hookRoutes({ settings, inbox, logger: deps.logger, clock: () => core.clock.now() });
  return { router, inbox, close: () => inbox.close() };
}
