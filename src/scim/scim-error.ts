// A protocol error as the SCIM edge renders it (RFC 7644 §3.12): HTTP status, optional scimType, detail.
export const SCIM_ERROR_URN = "urn:ietf:params:scim:api:messages:2.0:Error";

export class ScimError extends Error {
  constructor(
    readonly status: number,
    readonly scimType: string | undefined,
    readonly detail: string,
  ) {
    super(detail);
    this.name = "ScimError";
  }
}

export function isScimError(err: unknown): err is ScimError {
  return err instanceof ScimError;
}

/** The JSON body of a SCIM Error response; `status` is a string per RFC 7644 §3.12. */
export function renderScimError(err: ScimError): Record<string, unknown> {
  const body: Record<string, unknown> = {
    schemas: [SCIM_ERROR_URN],
    status: String(err.status),
    detail: err.detail,
  };
  if (err.scimType) body.scimType = err.scimType;
  return body;
}
