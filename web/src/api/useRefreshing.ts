// Loads something about a job and reloads it every `interval_ms` while the job is active, plus once more when it
// stops being active (so the final logs, artifacts and metrics are shown). Keeps the previous data while reloading
// so the page does not flicker. replace() puts newer data in from elsewhere (the job's event stream) and discards
// any load still under way, which was asked before that data existed.

import { useCallback, useEffect, useRef, useState } from "preact/hooks";

export interface Refreshing<T> {
  data: T | null;
  error: unknown;
  reload: () => void;
  replace: (data: T) => void;
}

export function useRefreshing<T>(load: () => Promise<T>, active: boolean, interval_ms: number, key: string): Refreshing<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const generation = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const reload = useCallback(() => {
    const mine = ++generation.current;
    loadRef.current().then(
      (value) => {
        if (mine !== generation.current) return;
        setData(value);
        setError(null);
      },
      (loadError: unknown) => {
        if (mine === generation.current) setError(loadError);
      },
    );
  }, []);

  const replace = useCallback((value: T) => {
    generation.current += 1;
    setData(value);
    setError(null);
  }, []);

  useEffect(() => {
    reload();
    if (!active) return;
    const timer = setInterval(reload, interval_ms);
    return () => clearInterval(timer);
  }, [key, active, interval_ms, reload]);

  useEffect(() => () => void (generation.current += 1), []);

  return { data, error, reload, replace };
}
