// Shared steps and assertions for the driver contract suite (one joiner, journal counts, error checks).
import { type DriverErrorKind, isDriverError } from "../../src/drivers/driver-error";
import type {
  ChangeResult,
  GrantSpec,
  HolderRef,
  OperationContext,
} from "../../src/drivers/key-system-driver";
import type { ContractHarness, HarnessContext } from "./contract-harness";

let opSeq = 0;
/** A fresh operation id per call, as the reconcile pipeline would send. */
export const op = (): OperationContext => ({ operationId: `contract-op-${++opSeq}` });

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** First and last name follow the display name: some vendors store only those (iLOQ FirstName/LastName). */
export function holderSpec(externalId: string, displayName = "Contract Person") {
  const [firstName = displayName, ...rest] = displayName.split(" ");
  return { externalId, displayName, firstName, lastName: rest.join(" ") || firstName };
}

export const grants = (...refs: string[]): GrantSpec[] => refs.map((vendorRef) => ({ vendorRef }));

/** Vendor refs of a grant list without the foreign ref, sorted, for comparisons. */
export function refsOf(h: ContractHarness, list: GrantSpec[]): string[] {
  return list
    .map((g) => g.vendorRef)
    .filter((r) => r !== h.foreignGrantRef)
    .sort();
}

export interface Joined {
  holder: HolderRef;
  credentialId: string;
  created: boolean;
  result: ChangeResult;
}

/** Joiner: upsert the holder, issue credential n, grant the first two refs. */
export async function join(
  h: ContractHarness,
  ctx: HarnessContext,
  externalId: string,
  n = 0,
): Promise<Joined> {
  const [a, b] = h.grantRefs as [string, string];
  const { holder, created } = await ctx.driver.upsertHolder(holderSpec(externalId), op());
  const cred = await ctx.driver.issueCredential(holder, h.credentialSpec(n), op());
  const result = await ctx.driver.setGrants(holder, grants(a, b), op());
  return { holder, credentialId: cred.credentialId, created, result };
}

/** Joiner whose credential has been programmed, so later steps start from an effective state. */
export async function joinEffective(
  h: ContractHarness,
  ctx: HarnessContext,
  externalId: string,
  n = 0,
): Promise<Joined> {
  const joined = await join(h, ctx, externalId, n);
  await ctx.fake.completeProgramming(joined.credentialId);
  return joined;
}

export async function mutatingRequests(ctx: HarnessContext): Promise<number> {
  return (await ctx.fake.journal()).filter((e) => e.mutating).length;
}

/** Requests other than logins (a re-login is not a retry of the failed request). */
export async function nonLoginRequests(ctx: HarnessContext): Promise<number> {
  return (await ctx.fake.journal()).filter((e) => !e.login).length;
}

/** Awaits a rejection and checks it is a DriverError of `kind`; returns it for further checks. */
export async function expectDriverError(p: Promise<unknown>, kind: DriverErrorKind) {
  let caught: unknown;
  try {
    await p;
  } catch (err) {
    caught = err;
  }
  if (!isDriverError(caught)) throw new Error(`expected DriverError(${kind}), got ${String(caught)}`);
  expect((caught as { kind?: string }).kind).toBe(kind);
  return caught;
}

/** Pulls event pages until an empty page; returns all events and the cursor to continue from. */
export async function drainEvents(ctx: HarnessContext, cursor: string | null) {
  const events = [];
  let next = cursor;
  for (let page = 0; page < 50; page++) {
    const got = await ctx.driver.pullEvents(next);
    next = got.nextCursor;
    if (got.events.length === 0) break;
    events.push(...got.events);
  }
  return { events, cursor: next };
}
