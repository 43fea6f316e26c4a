// Loads every `*.yaml`/`*.yml` in the mappings directory into one MappingSet, or throws a MappingError
// listing every problem. The only file in mapping/ that does I/O.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { buildMappingSet } from "./build-mapping-set";
import type { CanSchedule } from "./check-schedule-bindings";
import type { ScopeSchemas } from "./check-key-system-scope";
import { MappingError, type MappingProblem } from "./mapping-error";
import type { MappingSet } from "./mapping-set";
import { parseMappingDocuments, type SourceText } from "./parse-mapping-documents";

/** What the composition root knows about the drivers and hands to the (connector-free) loader. */
export interface MappingLoadOptions {
  /** Each driver's key-system scope schema by driver name; a KeySystem's scope is checked against it. */
  scopeSchemas?: ScopeSchemas;
  /** Whether a driver kind enforces schedules; scheduled profiles on others are refused. */
  canSchedule?: CanSchedule;
}

/** Pure core of loadMappings: named texts in, MappingSet out (throws MappingError). */
export function parseMappingSources(sources: SourceText[], options: MappingLoadOptions = {}): MappingSet {
  const problems: MappingProblem[] = [];
  const docs = sources.flatMap((s) => parseMappingDocuments(s, problems));
  const set = buildMappingSet(docs, problems, problems.length === 0, options);
  if (problems.length === 0 && set.keySystems.size === 0)
    problems.push({
      file: sources[0]?.file ?? "(none)",
      line: 1,
      path: "(mappings)",
      message: "no KeySystem declared",
    });
  if (problems.length > 0) throw new MappingError(problems);
  return set;
}

export function readMappingSources(dir: string): SourceText[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith(".yaml") || n.endsWith(".yml"));
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? "unreadable";
    throw new MappingError([
      { file: dir, line: 0, path: "(directory)", message: `cannot read directory: ${reason}` },
    ]);
  }
  if (names.length === 0)
    throw new MappingError([{ file: dir, line: 0, path: "(directory)", message: "no *.yaml mapping files" }]);
  return names.sort().map((n) => {
    const file = join(dir, n);
    return { file, text: readFileSync(file, "utf8") };
  });
}

export function loadMappings(dir: string, options: MappingLoadOptions = {}): MappingSet {
  return parseMappingSources(readMappingSources(dir), options);
}
