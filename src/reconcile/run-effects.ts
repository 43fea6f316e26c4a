// The effects one run achieved, from its driver results in call order: a later result about the same
// credential supersedes an earlier one (a key whose rights were emptied — pending until reprogrammed —
// and then returned is effective at once: iLOQ Return, key-systems.md §2.5), so a revocation the vendor
// has confirmed is not held back until the confirm timer looks again.
import type { ChangeResult, Effect } from "../drivers/key-system-driver";

export class RunEffects {
  private readonly loose: Effect[] = [];
  private readonly byCredential = new Map<string, Effect>();

  add(result: ChangeResult): void {
    // Manual work is never superseded by a later call: someone still has to act.
    const perCredential = result.effect !== "manual_action_required" && (result.credentials?.length ?? 0) > 0;
    if (!perCredential) {
      this.loose.push(result.effect);
      return;
    }
    for (const c of result.credentials ?? []) this.byCredential.set(c.credentialId, c.effect);
  }

  /** One effect per credential (its latest) plus every result that named no credential. */
  effects(): Effect[] {
    return [...this.loose, ...this.byCredential.values()];
  }
}
