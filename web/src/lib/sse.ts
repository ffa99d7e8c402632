// Server-Sent Events over fetch(): EventSource cannot send an Authorization header, so the dashboard reads the
// text/event-stream body itself. SseParser is the incremental parser of the WHATWG event-stream format (fields
// `event`, `data`, `id`; comments; CR, LF or CRLF line ends; chunks split anywhere). Pure, no I/O.

export interface SseEvent {
  event: string; // "message" when the stream names none
  data: string; // the data lines joined by "\n"
  id: string | null;
}

export class SseParser {
  private buffer = "";
  private eventName = "";
  private dataLines: string[] = [];
  private lastId: string | null = null;
  private pendingCarriageReturn = false;

  // Feeds decoded text; returns every event completed by it.
  push(text: string): SseEvent[] {
    const events: SseEvent[] = [];
    let chunk = text;
    if (this.pendingCarriageReturn && chunk.startsWith("\n")) chunk = chunk.slice(1);
    this.pendingCarriageReturn = false;
    this.buffer += chunk;
    for (;;) {
      const lineEnd = this.buffer.search(/[\r\n]/);
      if (lineEnd < 0) break;
      const line = this.buffer.slice(0, lineEnd);
      let consumed = lineEnd + 1;
      if (this.buffer[lineEnd] === "\r") {
        if (lineEnd + 1 < this.buffer.length) {
          if (this.buffer[lineEnd + 1] === "\n") consumed += 1;
        } else {
          this.pendingCarriageReturn = true; // a "\n" may follow in the next chunk
        }
      }
      this.buffer = this.buffer.slice(consumed);
      const event = this.takeLine(line);
      if (event) events.push(event);
    }
    return events;
  }

  private takeLine(line: string): SseEvent | null {
    if (line === "") return this.dispatch();
    if (line.startsWith(":")) return null; // comment, e.g. the server's heartbeat
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") this.eventName = value;
    else if (field === "data") this.dataLines.push(value);
    else if (field === "id" && !value.includes("\0")) this.lastId = value;
    return null;
  }

  private dispatch(): SseEvent | null {
    const hasData = this.dataLines.length > 0;
    const event: SseEvent = { event: this.eventName || "message", data: this.dataLines.join("\n"), id: this.lastId };
    this.eventName = "";
    this.dataLines = [];
    return hasData ? event : null;
  }
}

// Reads a fetch() response body as an event stream, calling onEvent for each event until the body ends or the
// signal aborts. Resolves when the stream ends; rejects on network errors (not on abort).
export async function readEventStream(
  body: ReadableStream<Uint8Array>,
  onEvent: (event: SseEvent) => void,
  signal: AbortSignal,
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = new SseParser();
  const cancel = () => void reader.cancel().catch(() => undefined);
  signal.addEventListener("abort", cancel);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || signal.aborted) break;
      for (const event of parser.push(decoder.decode(value, { stream: true }))) onEvent(event);
    }
  } catch (error) {
    if (!signal.aborted) throw error;
  } finally {
    signal.removeEventListener("abort", cancel);
  }
}
