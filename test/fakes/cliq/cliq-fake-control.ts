// The CLIQ fake's control plane under /__fake/ (key-systems.md §6, §6.2): tests and demos move the physical
// world, time, faults and data through it; drivers never call it, and it is never journaled.
import { type Request, Router } from "express";
import type { Fault, JournalEntry } from "../../contract/contract-harness";
import type { FaultScript } from "./cliq-fake-faults";
import { cylinderProgrammed, keyInsertedInRemotePD, keyUsed } from "./cliq-fake-physical";
import type { CliqFakeState } from "./cliq-fake-state";
import { handIn } from "./cliq-fake-procedures";
import {
  type ApiUser,
  type CliqFakeBehaviour,
  CliqFakeError,
  type CliqSeed,
  type Key,
} from "./cliq-fake-types";

export interface ControlDeps {
  state: CliqFakeState;
  faults: FaultScript;
  journal: JournalEntry[];
  loginAttempts: () => number;
}

function field(req: Request, name: string): string {
  const value = (req.body as Record<string, unknown> | undefined)?.[name];
  if (typeof value !== "string") throw new CliqFakeError(400, "invalid_body", `${name} is required`);
  return value;
}

/** Every cylinder with pending jobs gets programmed (a technician's round with the programming key). */
export function programAllCylinders(state: CliqFakeState): number {
  const targets = new Set(
    [...state.jobs.values()]
      .filter((j) => j.kind === "cylinder_programming" && j.state === "pending")
      .map((j) => j.targetId),
  );
  for (const c of state.cylinders.values()) if (c.pendingBlocklist.length > 0) targets.add(c.id);
  for (const id of targets) cylinderProgrammed(state, id);
  return targets.size;
}

export function controlRoutes(deps: ControlDeps): Router {
  const { state, faults, journal } = deps;
  const r = Router();
  r.post("/seed", (req, res) => {
    state.seed(req.body as CliqSeed);
    res.status(204).end();
  });
  r.post("/keyInsertedInRemotePD", (req, res) => {
    res.json(keyInsertedInRemotePD(state, field(req, "keyId")));
  });
  /** The desk takes a key back and hands it in in the CWM console (§1.3 "Hand in key"). */
  r.post("/handIn", (req, res) => {
    const key = state.key(field(req, "keyId"));
    const desk: ApiUser = { name: "desk", procedures: ["read", "hand_in"], domainIds: [key.domainId] };
    res.json(handIn(state, desk, key.id));
  });
  r.post("/cylinderProgrammed", (req, res) => {
    if ((req.body as { all?: unknown }).all === true) {
      res.json({ cylinders: programAllCylinders(state) });
      return;
    }
    res.json(cylinderProgrammed(state, field(req, "cylinderId")));
  });
  r.post("/keyUsed", (req, res) => {
    const at = (req.body as { at?: unknown }).at;
    res.json(
      keyUsed(state, field(req, "keyId"), field(req, "cylinderId"), typeof at === "string" ? at : undefined),
    );
  });
  r.post("/advanceClock", (req, res) => {
    const ms = Number((req.body as { ms?: unknown }).ms);
    if (!Number.isFinite(ms) || ms < 0) throw new CliqFakeError(400, "invalid_body", "ms must be >= 0");
    state.clock.advance(ms);
    res.json({ now: state.nowIso() });
  });
  r.post("/faults", (req, res) => {
    faults.inject(req.body as Fault);
    res.status(204).end();
  });
  r.delete("/faults", (_req, res) => {
    faults.clear();
    res.status(204).end();
  });
  r.get("/journal", (_req, res) => res.json({ entries: journal }));
  r.delete("/journal", (_req, res) => {
    journal.length = 0;
    res.status(204).end();
  });
  r.get("/loginAttempts", (_req, res) => res.json({ count: deps.loginAttempts() }));
  r.post("/behaviour", (req, res) => {
    Object.assign(state.behaviour, req.body as Partial<CliqFakeBehaviour>);
    res.json(state.behaviour);
  });
  /** An administrator's edit in the CWM UI (e.g. a foreign access profile, a key type). */
  r.patch("/keys/:id", (req, res) => {
    const key = state.key(String(req.params.id));
    Object.assign(key, req.body as Partial<Key>);
    res.json(key);
  });
  /** An audit event arriving now, possibly dated long ago (a late key or cylinder upload). */
  r.post("/events", (req, res) => {
    const b = req.body as { occurredAt?: string; keyId?: string; cylinderId?: string; granted?: boolean };
    const occurredAt = b.occurredAt ?? state.nowIso();
    const key = b.keyId ? state.keys.get(b.keyId) : undefined;
    const event = state.appendEvent({
      kind: b.granted === false ? "access_denied" : "access_granted",
      keyId: b.keyId,
      cylinderId: b.cylinderId ?? "cyl-1",
      personId: key?.holderId ?? undefined,
      occurredAt,
      source: "cylinder_upload",
    });
    res.status(201).json(event);
  });
  r.get("/state", (_req, res) => {
    res.json({
      now: state.nowIso(),
      persons: [...state.persons.values()],
      keys: [...state.keys.values()],
      cylinders: [...state.cylinders.values()],
      jobs: [...state.jobs.values()],
      events: state.events.length,
      warnings: state.warnings,
    });
  });
  return r;
}
