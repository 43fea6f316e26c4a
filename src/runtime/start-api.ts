// Starts the SCIM HTTP edge on config.port and stops it gracefully (finish in-flight requests).
import type { Server } from "node:http";
import { startOutboxMover } from "../audit/audit-outbox";
import { buildApp } from "../scim/build-app";
import { attachClientErrorHandler } from "../scim/client-error-handler";
import type { Core } from "./build-core";
import { type SignalHooks, startSignalHooks } from "./start-signal-hooks";

export interface RunningApi {
  server: Server;
  port: number;
  close(): Promise<void>;
}

/**
 * `moveAuditOutbox: false` when the same core also runs the workers (`start`): their periodic outbox
 * mover serves both, so the process does not move every tenant's outbox twice a second.
 */
export function startApi(core: Core, options: { moveAuditOutbox?: boolean } = {}): Promise<RunningApi> {
  const hooks: SignalHooks | null = startSignalHooks(core);
  const app = buildApp({
    config: core.config,
    redis: core.redis,
    store: core.store,
    logger: core.logger,
    onDirectoryChange: core.hook,
    hooks: hooks?.router,
  });
  return new Promise((resolve, reject) => {
    const server = app.listen(core.config.port, core.config.host);
    attachClientErrorHandler(server);
    server.once("error", reject);
    server.once("listening", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : core.config.port;
      core.logger.info({ port, host: core.config.host }, "SCIM endpoint listening");
      // Moves SCIM audit records a request committed but did not get onto the chain (timeout, blip).
      const mover =
        options.moveAuditOutbox === false ? null : startOutboxMover(core.auditOutbox, core.tenants);
      resolve({
        server,
        port,
        close: async () => {
          await new Promise<void>((done) => {
            server.close(() => done());
            server.closeIdleConnections();
          });
          await mover?.close();
          await hooks?.close();
        },
      });
    });
  });
}
