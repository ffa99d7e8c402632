// The last lines of the simulation's log, reloaded while the job runs, scrolled to the newest line.

import { useEffect, useRef, useState } from "preact/hooks";
import { ApiClient } from "../api/client";
import { useRefreshing } from "../api/useRefreshing";
import { ErrorNotice, isNotFound } from "./ErrorNotice";

const TAIL_CHOICES = [50, 200, 1000];
const REFRESH_MS = 5000;

export function LogTail(props: { client: ApiClient; jobId: string; active: boolean }) {
  const [lines, setLines] = useState(200);
  const log = useRefreshing(() => props.client.getLogTail(props.jobId, lines), props.active, REFRESH_MS, `${props.jobId}:${lines}`);
  const pre = useRef<HTMLPreElement>(null);

  useEffect(() => {
    if (pre.current) pre.current.scrollTop = pre.current.scrollHeight;
  }, [log.data]);

  return (
    <div class="log-tail">
      <div class="toolbar">
        <label for="log-lines">Lines</label>
        <select id="log-lines" value={lines} onChange={(e) => setLines(Number((e.currentTarget as HTMLSelectElement).value))}>
          {TAIL_CHOICES.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
        <button type="button" class="button" onClick={log.reload}>
          Reload log
        </button>
      </div>
      {log.error !== null && !isNotFound(log.error) && <ErrorNotice error={log.error} what="the log" />}
      <pre ref={pre} class="log" tabIndex={0} aria-label="Simulation log, newest line last">
        {log.data !== null && log.data !== "" ? log.data : isNotFound(log.error) || log.data === "" ? "(no log lines yet)" : "Loading…"}
      </pre>
    </div>
  );
}
