// Holds the mappings the service runs on: refuses to start without a valid set, and on reload keeps the
// last good set when the new files are invalid, so a bad commit never drops anyone's access.
import { isMappingError, type MappingProblem } from "./mapping-error";
import type { MappingSet } from "./mapping-set";
import { loadMappings } from "./load-mappings";

export type ReloadResult =
  | { ok: true; changed: boolean; fingerprint: string }
  | { ok: false; problems: MappingProblem[]; fingerprint: string };

export class MappingHolder {
  #current: MappingSet;

  /** Throws MappingError when the directory is invalid: the process must not start on it. */
  constructor(
    readonly dir: string,
    private readonly load: (dir: string) => MappingSet = loadMappings,
  ) {
    this.#current = load(dir);
  }

  get current(): MappingSet {
    return this.#current;
  }

  /** Re-reads the directory; on failure the previous set stays in force and the problems are returned. */
  reload(): ReloadResult {
    const before = this.#current.fingerprint;
    try {
      const next = this.load(this.dir);
      this.#current = next;
      return { ok: true, changed: next.fingerprint !== before, fingerprint: next.fingerprint };
    } catch (err) {
      if (!isMappingError(err)) throw err;
      return { ok: false, problems: err.problems, fingerprint: before };
    }
  }
}
