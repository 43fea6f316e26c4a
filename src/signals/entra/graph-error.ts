// Failures of the Microsoft Graph channel, checked by `code` (ARCHITECTURE §3). Messages carry no URLs
// with tokens, no bearer and no personal data.
export const GRAPH_ERROR_CODES = {
  ForeignLink: "BRIDGE_GRAPH_FOREIGN_LINK",
  SyncReset: "BRIDGE_GRAPH_SYNC_RESET",
  RequestFailed: "BRIDGE_GRAPH_REQUEST_FAILED",
  AuthFailed: "BRIDGE_GRAPH_AUTH_FAILED",
} as const;

export type GraphErrorKind = keyof typeof GRAPH_ERROR_CODES;

export class GraphError extends Error {
  readonly code: (typeof GRAPH_ERROR_CODES)[GraphErrorKind];
  constructor(
    readonly kind: GraphErrorKind,
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "GraphError";
    this.code = GRAPH_ERROR_CODES[kind];
  }
}

export function isGraphError(err: unknown, kind: GraphErrorKind): boolean {
  return (err as { code?: unknown } | null)?.code === GRAPH_ERROR_CODES[kind];
}
