// JSON.stringify for values as big as a 200,000-member group or a page of 1 MiB users, in stretches
// that yield to the event loop (issue #9 item 3), returned as UTF-8 bytes so that writing them to a
// socket or to Redis is a copy, not one more synchronous encoding of many megabytes.
import { TimeSlicer } from "./yield-to-event-loop";

/** Objects and arrays up to this depth are written piece by piece; deeper ones in one call. */
const PIECEWISE_DEPTH = 3;

/** Elements of a run of flat array elements written by one JSON.stringify call. */
const RUN_ITEMS = 512;

/** Text collected before it is encoded into one Buffer. */
const CHUNK_CHARS = 64 * 1024;

type Json = Record<string, unknown>;

function isContainer(value: unknown): value is Json | unknown[] {
  return value !== null && typeof value === "object";
}

/** A value one JSON.stringify call can write cheaply: no nested containers (a member, an email). */
function isFlat(value: unknown): boolean {
  if (!isContainer(value)) return true;
  if (Array.isArray(value)) return value.every((v) => !isContainer(v));
  return Object.values(value).every((v) => !isContainer(v));
}

class SlicedWriter {
  readonly chunks: Buffer[] = [];
  private text = "";

  constructor(private readonly slicer: TimeSlicer) {}

  async put(piece: string): Promise<void> {
    this.text += piece;
    if (this.text.length < CHUNK_CHARS) return;
    this.flush();
    await this.slicer.pause();
  }

  flush(): void {
    if (this.text !== "") this.chunks.push(Buffer.from(this.text));
    this.text = "";
  }

  async value(value: unknown, depth: number): Promise<void> {
    const piecewise = isContainer(value) && depth < PIECEWISE_DEPTH && !("toJSON" in value);
    if (!piecewise) await this.put(JSON.stringify(value) ?? "null");
    else if (Array.isArray(value)) await this.array(value, depth);
    else await this.object(value, depth);
  }

  async array(items: unknown[], depth: number): Promise<void> {
    await this.put("[");
    let runStart = 0;
    const flushRun = async (end: number) => {
      if (end > runStart) {
        const text = JSON.stringify(items.slice(runStart, end));
        await this.put(`${runStart > 0 ? "," : ""}${text.slice(1, -1)}`);
        await this.slicer.pause();
      }
      runStart = end;
    };
    for (let i = 0; i < items.length; i++) {
      if (isFlat(items[i]) && i - runStart < RUN_ITEMS) continue;
      await flushRun(i);
      if (isFlat(items[i])) continue;
      await this.put(i > 0 ? "," : "");
      await this.value(items[i], depth + 1);
      runStart = i + 1;
    }
    await flushRun(items.length);
    await this.put("]");
  }

  async object(value: Json, depth: number): Promise<void> {
    await this.put("{");
    let first = true;
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined || typeof item === "function" || typeof item === "symbol") continue;
      await this.put(`${first ? "" : ","}${JSON.stringify(key)}:`);
      first = false;
      await this.value(item, depth + 1);
    }
    await this.put("}");
  }
}

/** The UTF-8 bytes of `JSON.stringify(value)`, produced in slices. */
export async function stringifyInSlices(value: unknown, slicer = new TimeSlicer()): Promise<Buffer> {
  const writer = new SlicedWriter(slicer);
  await writer.value(value, 0);
  writer.flush();
  return Buffer.concat(writer.chunks);
}
