// What must hold after every fuzz answer (issue #9 item 9): no 5xx without a Redis fault, every error
// a SCIM error (RFC 7644 §3.12), nothing added to or changed on the built-in prototypes.
import type { Answer } from "./fuzz-http";

export const SCIM_ERROR_URN = "urn:ietf:params:scim:api:messages:2.0:Error";

/**
 * Problems with one answer. `redisFault`: a Redis fault was injected around the request, so 503 is
 * the right answer. `nodeOnly`: Node answered before the app could (a raw-socket request Node rejects
 * while parsing); such an answer needs a SCIM body only if the server installs a clientError handler.
 */
export function answerProblems(method: string, answer: Answer, redisFault = false): string[] {
  if (answer.failure) return [`no answer: ${answer.failure}`];
  const problems: string[] = [];
  const { status } = answer;
  if (status >= 500 && !(status === 503 && redisFault)) problems.push(`answered ${status}`);
  if (status >= 400 && method !== "HEAD") problems.push(...errorBodyProblems(status, answer));
  return problems;
}

function errorBodyProblems(status: number, answer: Answer): string[] {
  const body = answer.json as { schemas?: unknown; status?: unknown } | undefined;
  if (!body || typeof body !== "object")
    return [`${status} without a SCIM error body (got ${JSON.stringify(answer.text.slice(0, 80))})`];
  const problems: string[] = [];
  if (!Array.isArray(body.schemas) || !body.schemas.includes(SCIM_ERROR_URN))
    problems.push(`${status} body lacks schemas [${SCIM_ERROR_URN}]`);
  // RFC 7644 §3.12: "status" is the HTTP status code as a string.
  if (body.status !== String(status))
    problems.push(`${status} body has status ${JSON.stringify(body.status)}`);
  return problems;
}

const WATCHED = [
  ["Object.prototype", Object.prototype],
  ["Array.prototype", Array.prototype],
  ["Function.prototype", Function.prototype],
  ["String.prototype", String.prototype],
] as const;

export type PrototypeSnapshot = Map<string, Map<string | symbol, PropertyDescriptor>>;

export function snapshotPrototypes(): PrototypeSnapshot {
  const snap: PrototypeSnapshot = new Map();
  for (const [name, proto] of WATCHED) {
    const props = new Map<string | symbol, PropertyDescriptor>();
    for (const key of Reflect.ownKeys(proto)) {
      const d = Object.getOwnPropertyDescriptor(proto, key);
      if (d) props.set(key, d);
    }
    snap.set(name, props);
  }
  return snap;
}

/**
 * Compares the prototypes with the snapshot, names every added or replaced property and puts the
 * snapshot back: a polluted process would fail every later request and hide the next finding.
 */
export function restorePrototypes(snap: PrototypeSnapshot): string[] {
  const problems: string[] = [];
  for (const [name, proto] of WATCHED) {
    const before = snap.get(name) ?? new Map();
    for (const key of Reflect.ownKeys(proto)) {
      const was = before.get(key);
      const now = Object.getOwnPropertyDescriptor(proto, key);
      if (!was) {
        problems.push(`${name}.${String(key)} was added (${JSON.stringify(now?.value)?.slice(0, 60)})`);
        Reflect.deleteProperty(proto, key);
      } else if (now && (now.value !== was.value || now.get !== was.get || now.set !== was.set)) {
        problems.push(`${name}.${String(key)} was replaced`);
        Object.defineProperty(proto, key, was);
      }
    }
  }
  return problems;
}

/** Personal data or secrets in a log line (issue #9 item 5): an e-mail address or a bearer token. */
export function logLineProblems(line: string, tokens: string[]): string[] {
  const problems: string[] = [];
  const email = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/.exec(line);
  if (email) problems.push(`log line carries an e-mail address: ${line.slice(0, 200)}`);
  if (tokens.some((t) => line.includes(t))) problems.push("log line carries a bearer token");
  return problems;
}
