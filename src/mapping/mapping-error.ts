// Raised when mapping files are invalid; lists every problem as `file:line: path: message` so the
// service refuses to start (or keeps the last good set on reload) with an exact pointer for the author.
export interface MappingProblem {
  file: string;
  line: number;
  /** Where in the document, e.g. `Rule/contractors.grants[0]`. */
  path: string;
  message: string;
}

export function formatProblem(p: MappingProblem): string {
  return `${p.file}:${p.line}: ${p.path}: ${p.message}`;
}

export class MappingError extends Error {
  readonly code = "BRIDGE_MAPPING_INVALID";
  constructor(readonly problems: MappingProblem[]) {
    super(`invalid mappings (${problems.length} problem(s))\n  ${problems.map(formatProblem).join("\n  ")}`);
    this.name = "MappingError";
  }
}

export function isMappingError(err: unknown): err is MappingError {
  return (err as { code?: unknown } | null)?.code === "BRIDGE_MAPPING_INVALID";
}
