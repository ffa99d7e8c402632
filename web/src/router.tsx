// A tiny history-API router: "/" jobs list (query: status, cursor), "/jobs/new" submit form (query: from, a job to
// start from), "/jobs/{id}" one job, "/jobs/{id}/runs/{index}" one run of a dataset, "/compare" jobs side by side
// (query: jobs, comma-separated ids). A new page
// adds a Route variant here, a title in app.tsx's titleOf and a branch in App.
// live2 serves index.html for every other path, so these URLs can be bookmarked and reloaded.

import { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";

export type Route =
  | { page: "jobs"; query: URLSearchParams }
  | { page: "new"; fromJobId: string | null }
  | { page: "compare"; jobIds: string[] }
  | { page: "job"; jobId: string }
  | { page: "run"; jobId: string; index: number }
  | { page: "not_found" };

const NAVIGATE_EVENT = "live2:navigate";

export function parseRoute(pathname: string, search: string): Route {
  if (pathname === "/" || pathname === "/jobs" || pathname === "/jobs/") {
    return { page: "jobs", query: new URLSearchParams(search) };
  }
  if (pathname === "/jobs/new") return { page: "new", fromJobId: new URLSearchParams(search).get("from") };
  if (pathname === "/compare") {
    const ids = (new URLSearchParams(search).get("jobs") ?? "").split(",").filter((id) => id !== "");
    return { page: "compare", jobIds: [...new Set(ids)] };
  }
  const match = /^\/jobs\/([^/]+)\/?$/.exec(pathname);
  if (match) return { page: "job", jobId: decodeURIComponent(match[1]) };
  const run = /^\/jobs\/([^/]+)\/runs\/(0|[1-9]\d{0,8})\/?$/.exec(pathname);
  if (run) return { page: "run", jobId: decodeURIComponent(run[1]), index: Number(run[2]) };
  return { page: "not_found" };
}

export function navigate(href: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, "", href);
  else history.pushState(null, "", href);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

export function useRoute(): Route {
  const current = () => parseRoute(location.pathname, location.search);
  const [route, setRoute] = useState<Route>(current);
  useEffect(() => {
    const update = () => setRoute(current());
    window.addEventListener("popstate", update);
    window.addEventListener(NAVIGATE_EVENT, update);
    return () => {
      window.removeEventListener("popstate", update);
      window.removeEventListener(NAVIGATE_EVENT, update);
    };
  }, []);
  return route;
}

// A real link (middle-click, copy address and screen readers work) that navigates in place on a plain click.
export function Link(props: {
  href: string;
  class?: string;
  title?: string;
  children: ComponentChildren;
  "aria-current"?: "page";
}) {
  const onClick = (event: MouseEvent) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    event.preventDefault();
    navigate(props.href);
  };
  return (
    <a href={props.href} class={props.class} title={props.title} onClick={onClick} aria-current={props["aria-current"]}>
      {props.children}
    </a>
  );
}
