import { test } from "node:test";
import assert from "node:assert/strict";
import { SseParser, readEventStream } from "../.test-build/lib/sse.js";

test("parses named events with multi-line data and ignores comments", () => {
  const parser = new SseParser();
  const events = parser.push(': heartbeat\n\nevent: job\ndata: {"a":\ndata: 1}\nid: 7\n\n');
  assert.deepEqual(events, [{ event: "job", data: '{"a":\n1}', id: "7" }]);
});

test("joins events split across chunks, including a CRLF split between chunks", () => {
  const parser = new SseParser();
  assert.deepEqual(parser.push("event: job\r"), []);
  assert.deepEqual(parser.push("\ndata: x"), []);
  assert.deepEqual(parser.push("yz\r\n\r\n"), [{ event: "job", data: "xyz", id: null }]);
});

test("an event without data is not dispatched and the event name resets", () => {
  const parser = new SseParser();
  assert.deepEqual(parser.push("event: ping\n\ndata: plain\n\n"), [{ event: "message", data: "plain", id: null }]);
});

test("readEventStream decodes a byte stream split inside a multi-byte character", async () => {
  const bytes = new TextEncoder().encode("event: job\ndata: caf\u00e9\n\n");
  const stream = new ReadableStream({
    start(controller) {
      controller.enqueue(bytes.slice(0, 20));
      controller.enqueue(bytes.slice(20));
      controller.close();
    },
  });
  const seen = [];
  await readEventStream(stream, (event) => seen.push(event.data), new AbortController().signal);
  assert.deepEqual(seen, ["caf\u00e9"]);
});
