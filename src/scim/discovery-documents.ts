// The discovery documents (RFC 7644 §4, RFC 7643 §5–7) that SailPoint's SaaS connector requires and
// Entra reads when its provisioning configuration is saved (scim-clients.md §2.1, §2.3).
import type { Config } from "../config/config-schema";
import {
  CORE_GROUP_URN,
  CORE_USER_URN,
  ENTERPRISE_USER_URN,
  KEYBRIDGE_USER_URN,
} from "../store/directory-types";
import { describeSchemas } from "./scimmy-port";

const SPC_URN = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
const RESOURCE_TYPE_URN = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
export const LIST_RESPONSE_URN = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

type Json = Record<string, unknown>;

export function serviceProviderConfig(config: Config, base: string): Json {
  return {
    schemas: [SPC_URN],
    documentationUri: "https://github.com/keybridge/keybridge/blob/main/docs/connect-idps.md",
    patch: { supported: true },
    // Bulk is not offered: no IdP we serve uses it (scim-clients.md §2.3 "Bulk is not used").
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: config.scim.maxPageSize },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: "oauthbearertoken",
        name: "Bearer token",
        description: "Per-tenant bearer token created with `keybridge tokens create --tenant <id>`.",
        primary: true,
      },
    ],
    meta: { resourceType: "ServiceProviderConfig", location: `${base}/ServiceProviderConfig` },
  };
}

function resourceType(name: "User" | "Group", base: string): Json {
  const doc: Json = {
    schemas: [RESOURCE_TYPE_URN],
    id: name,
    name,
    endpoint: `/${name}s`,
    description: name === "User" ? "User Account" : "Group",
    schema: name === "User" ? CORE_USER_URN : CORE_GROUP_URN,
    meta: { resourceType: "ResourceType", location: `${base}/ResourceTypes/${name}` },
  };
  if (name === "User")
    doc.schemaExtensions = [
      { schema: ENTERPRISE_USER_URN, required: false },
      { schema: KEYBRIDGE_USER_URN, required: false },
    ];
  return doc;
}

export function resourceTypes(base: string): Record<"User" | "Group", Json> {
  return { User: resourceType("User", base), Group: resourceType("Group", base) };
}

let cachedSchemas: Json[] | undefined;

/** The four schemas, in the order clients usually expect: core User, Group, then the extensions. */
export function schemaDocuments(base: string): Json[] {
  if (!cachedSchemas) {
    const d = describeSchemas();
    cachedSchemas = [d.user, d.group, d.enterprise, d.keybridge];
  }
  return cachedSchemas.map((s) => ({
    ...s,
    meta: { resourceType: "Schema", location: `${base}/Schemas/${String(s.id)}` },
  }));
}

export function listResponse(resources: Json[], totalResults: number, startIndex: number): Json {
  return {
    schemas: [LIST_RESPONSE_URN],
    totalResults,
    startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}
