// Contract harness for the iLOQ driver: a fresh iLOQ fake over real HTTP and a driver pointed at it
// (test/contract/contract-harness.ts). The driver benchmark imports it too.
import { iloqDriverFactory } from "../../../connectors/iloq/iloq-driver-factory";
import { systemClock } from "../../../src/drivers/key-system-driver";
import { silentLogger } from "../../../src/log/logger";
import type {
  ContractHarness,
  Fault,
  FakeControl,
  HarnessContext,
  JournalEntry,
} from "../../contract/contract-harness";
import { DEMO_SEED, seedDemo } from "../../fakes/iloq/iloq-fake-seed";
import { IloqFakeServer } from "../../fakes/iloq/iloq-fake-server";
import type { FakeSubscription, FakeWebhookPayload } from "../../fakes/iloq/iloq-fake-types";
import { webhookHeaders } from "../../fakes/iloq/iloq-fake-webhooks";

const REQUEST_TIMEOUT_MS = 1000;
const SIGN_KEY = "4f2d0c0b9a8e4e6f8a1b2c3d4e5f6a7b";
/** Read-only or session calls iLOQ makes with POST (§2.1, §2.3 audit). */
const NON_MUTATING = /^(url\/geturl|createsession|setlockgroup|killsession|locklogs(\/.*)?)$/i;

const [A, B, C, FOREIGN] = DEMO_SEED.apiAccessIds as [string, string, string, string];

function faultRule(fault: Exclude<Fault, { kind: "session_expiry" | "bad_credentials" }>) {
  switch (fault.kind) {
    case "latency":
      return { latencyMs: fault.ms, times: Number.POSITIVE_INFINITY };
    case "status":
      return { status: fault.status, times: fault.times };
    case "reset":
      return { reset: true, times: fault.times };
    case "rate_limit":
      return { status: 429, retryAfterSeconds: fault.retryAfterSeconds, times: fault.times };
    case "timeout_after_commit":
      // The create is the POST; the GET lookup on the same path must pass through.
      return { method: "POST", path: fault.pathContains, holdAnswerMs: fault.delayMs };
  }
}

function fakeControl(fake: IloqFakeServer): FakeControl {
  const sub: FakeSubscription = {
    SubscriptionId: "c0ffee00-0000-4000-8000-000000000001",
    LockGroup_ID: DEMO_SEED.lockGroupId,
    WebhookEventId: "device_log_arrived",
    TargetEndpointUri: "http://127.0.0.1/unused",
    StartDateUtc: "2020-01-01T00:00:00",
    EndDateUtc: "2099-01-01T00:00:00",
    CustomHeader: null,
    SignKey: SIGN_KEY,
    State: 0,
    Counter: 0,
    payloads: [],
  };
  let last: FakeWebhookPayload | null = null;
  const persons = (ext: string) => [...fake.state.persons.values()].filter((p) => p.ExternalPersonId === ext);
  const keysOf = (ext: string) => {
    const ids = new Set(persons(ext).map((p) => p.Person_ID));
    return [...fake.state.keys.values()].filter((k) => k.Person_ID !== null && ids.has(k.Person_ID));
  };
  return {
    journal: async (): Promise<JournalEntry[]> =>
      fake.journal.map((e) => ({
        method: e.method,
        path: e.path,
        mutating: e.method !== "GET" && !NON_MUTATING.test(e.path),
        login: /^createsession$/i.test(e.path),
        ...(e.status > 0 ? { status: e.status } : {}),
      })),
    clearJournal: async () => {
      fake.journal.length = 0;
    },
    completeProgramming: async (credentialId) => {
      for (const key of fake.state.keys.values()) {
        if (credentialId && key.FNKey_ID !== credentialId) continue;
        fake.control.phoneFetched(key.FNKey_ID);
        fake.control.keyProgrammed(key.FNKey_ID);
      }
    },
    propagateBlocklist: async () => fake.control.lockSync(),
    injectFault: async (fault) => {
      if (fault.kind === "session_expiry") fake.control.expireAllSessions();
      else if (fault.kind === "bad_credentials")
        for (const u of fake.state.users) u.Password = `${u.Password}-changed`;
      else fake.faults.push(faultRule(fault));
    },
    clearFaults: async () => {
      fake.faults.length = 0;
    },
    loginAttempts: async () => fake.loginAttempts,
    holderCount: async (ext) => persons(ext).length,
    credentialCount: async (ext) => keysOf(ext).length,
    seedForeignGrant: async (ext, ref) => {
      const key = keysOf(ext)[0];
      if (!key) throw new Error("harness: holder has no key");
      fake.control.managerEdit(key.FNKey_ID, [...key.planned.securityAccessIds, ref]);
    },
    appendEvent: async (e) => {
      fake.control.appendLog({
        FLock_ID: DEMO_SEED.lockIds[0]!,
        FNKey_ID: e.credentialId ?? null,
        AccessTypeMask: e.granted === false ? 1 : 12,
        goingUtc: new Date(e.occurredAt),
      });
    },
    signedWebhook: async (options = {}) => {
      if (!options.replay || !last) {
        sub.Counter += 1;
        const body = JSON.stringify({
          Data: {
            DeviceLogTypeMask: 12,
            FLock_ID: DEMO_SEED.lockIds[0],
            GoingDateUtc: new Date().toISOString().slice(0, 19),
          },
          CreationTimeUtc: new Date().toISOString().slice(0, 19),
        });
        last = {
          counter: sub.Counter,
          body,
          eventName: "device_log_arrived",
          attempts: 0,
          delivered: false,
          nextAttemptAt: null,
          lastStatus: null,
        };
      }
      const headers = Object.fromEntries(
        Object.entries(webhookHeaders(sub, last)).map(([k, v]) => [k.toLowerCase(), v]),
      );
      const body = options.tamper ? last.body.replace("12", "4") : last.body;
      return { headers, rawBody: Buffer.from(body, "utf8") };
    },
    roundTrip: async () => {
      await (await fetch(`${fake.url}/api/v2/Test`)).text();
    },
  };
}

export interface IloqHarnessOptions {
  /** Latency the fake adds to every vendor request (the benchmark uses 5 ms). */
  latencyMs?: number;
}

export function createIloqHarness(options: IloqHarnessOptions = {}): ContractHarness {
  let fake: IloqFakeServer | null = null;
  let ctx: HarnessContext | null = null;
  return {
    name: "iloq",
    grantRefs: [A, B, C],
    foreignGrantRef: FOREIGN,
    credentialSpec: (n) => ({ kind: "phone", phone: `+35840000${String(n).padStart(4, "0")}`, email: "" }),
    createHolderPath: "Persons",
    async setup() {
      fake = new IloqFakeServer({ clock: systemClock });
      seedDemo(fake.state);
      if (options.latencyMs)
        fake.faults.push({ latencyMs: options.latencyMs, times: Number.POSITIVE_INFINITY });
      await fake.start();
      const driver = iloqDriverFactory.create(
        "hq-iloq",
        {
          baseUrl: fake.url,
          customerCode: DEMO_SEED.customerCode,
          userName: DEMO_SEED.userName,
          passwordSecret: "ILOQ_PASSWORD",
          lockGroupId: DEMO_SEED.lockGroupId,
          managedAccessIds: [A, B, C],
          requestTimeoutMs: REQUEST_TIMEOUT_MS,
          webhookSignKeySecret: "ILOQ_WEBHOOK_SIGN_KEY",
        },
        {
          logger: silentLogger(),
          clock: systemClock,
          secrets: { ILOQ_PASSWORD: DEMO_SEED.password, ILOQ_WEBHOOK_SIGN_KEY: SIGN_KEY },
        },
      );
      ctx = { driver, fake: fakeControl(fake) };
      return ctx;
    },
    async teardown() {
      await ctx?.driver.close();
      await fake?.stop();
      ctx = null;
      fake = null;
    },
    async arrangeManualOnlyChange(_control, subject) {
      // An iLOQ Manager user put a standard (non-API) right on the key: ordering it now needs Manager
      // and a programming token, so CanOrder answers 1 (§2.4).
      const key = fake?.state.keys.get(subject.credentialId);
      if (!fake || !key) throw new Error("harness: no such key");
      fake.control.managerEdit(key.FNKey_ID, [...key.planned.securityAccessIds, DEMO_SEED.standardAccessId]);
      return [{ vendorRef: A }, { vendorRef: B }];
    },
    expect: {
      grantEffect: "pending_programming",
      offboardingEffect: "effective",
      lostEffect: "pending_propagation",
      internalRetries: 0,
      scheduleTimeZone: "Europe/Helsinki", // the demo seed's lock group "FLE Standard Time"
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
    },
  };
}

export const iloqHarness = createIloqHarness();
