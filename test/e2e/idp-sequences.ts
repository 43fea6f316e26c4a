// What each IdP sends to provision, and later deactivate, one person (request shapes from
// specs/scim-clients.md §2.1–2.3 and test/fixtures/scim/): Entra creates the user, then groups without
// members and adds members by PATCH, and disables with the string "False"; Okta POSTs the whole user,
// pushes groups with members and deactivates with a pathless replace; SailPoint POSTs with extensions,
// moves group membership through the user's `groups` attribute (updateGroupsViaUsers) and disables
// with a boolean replace.
import { ENTERPRISE_USER_URN, KEYBRIDGE_USER_URN } from "../../src/store/directory-types";
import type { ScimAnswer } from "./e2e-processes";

const CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const CORE_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

export type Idp = "entra" | "okta" | "sailpoint";
export const IDPS: Idp[] = ["entra", "okta", "sailpoint"];
export type ScimCall = (method: string, path: string, body?: unknown) => Promise<ScimAnswer>;

/** The HR facts the example mappings look at (mappings/rules.yaml). */
export interface PersonFacts {
  userName: string;
  employeeType: string;
  department?: string;
  site?: string;
  accessValidUntil?: string;
  roles?: string[];
  /** Groups by the IdP's object id (the rules' `group.externalId`) and display name. */
  groups?: Array<{ externalId: string; displayName: string }>;
  mobile: string;
}

function userBody(p: PersonFacts): Record<string, unknown> {
  const [given, family] = p.userName.split("@")[0]?.split(".") ?? ["A", "B"];
  const keybridge: Record<string, unknown> = {};
  if (p.site) keybridge.site = p.site;
  if (p.accessValidUntil) keybridge.accessValidUntil = p.accessValidUntil;
  return {
    schemas: [CORE_USER, ENTERPRISE_USER_URN, KEYBRIDGE_USER_URN],
    userName: p.userName,
    externalId: `ext-${p.userName}`,
    active: true,
    name: { givenName: given, familyName: family ?? "Person" },
    displayName: p.userName,
    emails: [{ value: p.userName, type: "work", primary: true }],
    phoneNumbers: [{ value: p.mobile, type: "mobile" }],
    [ENTERPRISE_USER_URN]: {
      employeeType: p.employeeType,
      ...(p.department ? { department: p.department } : {}),
    },
    ...(Object.keys(keybridge).length > 0 ? { [KEYBRIDGE_USER_URN]: keybridge } : {}),
  };
}

function expectStatus(answer: ScimAnswer, status: number, what: string): ScimAnswer {
  if (answer.status !== status)
    throw new Error(`${what}: expected ${status}, got ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer;
}

async function entraProvision(scim: ScimCall, p: PersonFacts): Promise<string> {
  const found = await scim("GET", `/Users?filter=${encodeURIComponent(`userName eq "${p.userName}"`)}`);
  expectStatus(found, 200, "Entra existence check");
  const body = userBody(p);
  // Entra sends app roles on create with their type (scim-clients.md §2.1 Roles).
  if (p.roles)
    body.roles = p.roles.map((value) => ({ primary: false, type: "WindowsAzureActiveDirectoryRole", value }));
  const user = expectStatus(await scim("POST", "/Users", body), 201, "Entra create user");
  const id = String(user.body.id);
  for (const g of p.groups ?? []) {
    const group = await scim("POST", "/Groups", {
      schemas: [CORE_GROUP, "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
      externalId: g.externalId,
      displayName: g.displayName,
    });
    expectStatus(group, 201, "Entra create group");
    const add = await scim("PATCH", `/Groups/${group.body.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: "Add", path: "members", value: [{ $ref: null, value: id }] }],
    });
    expectStatus(add, 204, "Entra add member");
  }
  return id;
}

async function oktaProvision(scim: ScimCall, p: PersonFacts): Promise<string> {
  const filter = encodeURIComponent(`userName eq "${p.userName}"`);
  expectStatus(await scim("GET", `/Users?filter=${filter}&startIndex=1&count=100`), 200, "Okta lookup");
  const body = { ...userBody(p), groups: [], locale: "de-DE" };
  if (p.roles) (body as Record<string, unknown>).roles = p.roles.map((value) => ({ value, display: value }));
  const user = expectStatus(await scim("POST", "/Users", body), 201, "Okta create user");
  const id = String(user.body.id);
  for (const g of p.groups ?? []) {
    // Group Push: POST with members, carrying the IdP group id as externalId.
    const group = await scim("POST", "/Groups", {
      schemas: [CORE_GROUP],
      externalId: g.externalId,
      displayName: g.displayName,
      members: [{ value: id, display: p.userName }],
    });
    expectStatus(group, 201, "Okta push group");
  }
  return id;
}

async function sailpointProvision(scim: ScimCall, p: PersonFacts): Promise<string> {
  const body = userBody(p);
  if (p.roles) body.roles = p.roles.map((value) => ({ value }));
  const user = expectStatus(await scim("POST", "/Users", body), 201, "SailPoint create account");
  const id = String(user.body.id);
  const groupIds: string[] = [];
  for (const g of p.groups ?? []) {
    const group = await scim("POST", "/Groups", {
      schemas: [CORE_GROUP],
      externalId: g.externalId,
      displayName: g.displayName,
    });
    groupIds.push(String(expectStatus(group, 201, "SailPoint create entitlement group").body.id));
  }
  if (groupIds.length > 0) {
    const patch = await scim("PATCH", `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: "add", path: "groups", value: groupIds.map((value) => ({ value })) }],
    });
    expectStatus(patch, 200, "SailPoint groups via user");
  }
  return id;
}

export function provision(idp: Idp, scim: ScimCall, p: PersonFacts): Promise<string> {
  if (idp === "entra") return entraProvision(scim, p);
  if (idp === "okta") return oktaProvision(scim, p);
  return sailpointProvision(scim, p);
}

/** The IdP's deactivation: Entra's string "False", Okta's pathless replace, SailPoint's boolean. */
export async function deactivate(idp: Idp, scim: ScimCall, id: string): Promise<void> {
  const op =
    idp === "entra"
      ? { op: "Replace", path: "active", value: "False" }
      : idp === "okta"
        ? { op: "replace", value: { active: false } }
        : { op: "replace", path: "active", value: false };
  const answer = await scim("PATCH", `/Users/${id}`, { schemas: [PATCH_OP], Operations: [op] });
  expectStatus(answer, 200, `${idp} deactivate`);
  if (answer.body.active !== false) throw new Error(`${idp} deactivate: user still active`);
}
