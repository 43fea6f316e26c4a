// The effects of one run: a later result about the same credential supersedes an earlier one, so an
// iLOQ phone key emptied (pending until reprogrammed) and then returned (effective) is effective now.
import type { ChangeResult } from "../../src/drivers/key-system-driver";
import { weakestEffect } from "../../src/reconcile/ledger-entry";
import { RunEffects } from "../../src/reconcile/run-effects";

const result = (effect: ChangeResult["effect"], credentials?: Array<[string, ChangeResult["effect"]]>) => ({
  effect,
  manualTasks: [],
  ...(credentials
    ? { credentials: credentials.map(([credentialId, e]) => ({ credentialId, effect: e })) }
    : {}),
});

it("offboarding a phone key: emptied (pending) then returned (effective) is effective", () => {
  const run = new RunEffects();
  run.add(result("pending_programming", [["k1", "pending_programming"]]));
  run.add(result("effective", [["k1", "effective"]]));
  run.add(result("applied")); // deactivate the holder: names no credential
  expect(weakestEffect(run.effects())).toBe("applied");
});

it("a second key still waiting keeps the run pending", () => {
  const run = new RunEffects();
  run.add(
    result("pending_programming", [
      ["k1", "pending_programming"],
      ["k2", "pending_programming"],
    ]),
  );
  run.add(result("effective", [["k1", "effective"]]));
  expect(weakestEffect(run.effects())).toBe("pending_programming");
});

it("manual work is never superseded by a later call", () => {
  const run = new RunEffects();
  run.add(result("manual_action_required", [["k1", "pending_programming"]]));
  run.add(result("effective", [["k1", "effective"]]));
  expect(weakestEffect(run.effects())).toBe("manual_action_required");
});
