// The dashboard shell: sign-in gate, header navigation and the page for the current route. A 401 from any call
// (key revoked meanwhile) forgets the key and returns to sign-in. Focus moves to the new page's heading on every
// navigation so keyboard and screen-reader users land on the new content.

import { useEffect, useMemo, useState } from "preact/hooks";
import { ApiClient } from "./api/client";
import { JobPage } from "./pages/JobPage";
import { JobsPage } from "./pages/JobsPage";
import { RunPage } from "./pages/RunPage";
import { NewJobPage } from "./pages/NewJobPage";
import { ComparePage } from "./pages/ComparePage";
import { SignInPage } from "./pages/SignInPage";
import { Link, Route, useRoute } from "./router";
import { forgetApiKey, loadApiKey, saveApiKey } from "./session";

function titleOf(route: Route): string {
  switch (route.page) {
    case "jobs":
      return "Jobs";
    case "new":
      return route.fromJobId ? `Re-run ${route.fromJobId}` : "New simulation";
    case "compare":
      return "Compare runs";
    case "job":
      return `Job ${route.jobId}`;
    case "run":
      return `Run ${route.index} of ${route.jobId}`;
    case "not_found":
      return "Not found";
  }
}

export function App() {
  const route = useRoute();
  const [apiKey, setApiKey] = useState<string | null>(loadApiKey);
  const [notice, setNotice] = useState<string | null>(null);

  const client = useMemo(
    () =>
      apiKey === null
        ? null
        : new ApiClient(apiKey, () => {
            forgetApiKey();
            setNotice("The server no longer accepts this key. Please sign in again.");
            setApiKey(null);
          }),
    [apiKey],
  );

  // The title names the page (and the job), so it changes exactly when the user lands somewhere new.
  const title = client ? titleOf(route) : "Sign in";
  useEffect(() => {
    document.title = `${title} · live2`;
    document.getElementById("page-title")?.focus();
  }, [title]);

  const signOut = () => {
    forgetApiKey();
    setNotice("Signed out.");
    setApiKey(null);
  };

  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="site-header">
        <span class="brand">live2</span>
        {client && (
          <nav aria-label="Main">
            <Link href="/" aria-current={route.page === "jobs" ? "page" : undefined}>
              Jobs
            </Link>
            <Link href="/jobs/new" aria-current={route.page === "new" ? "page" : undefined}>
              New job
            </Link>
            <button type="button" class="button-link" onClick={signOut}>
              Sign out
            </button>
          </nav>
        )}
      </header>
      <main id="main">
        {client === null ? (
          <SignInPage
            notice={notice}
            onSignedIn={(key) => {
              saveApiKey(key);
              setNotice(null);
              setApiKey(key);
            }}
          />
        ) : route.page === "jobs" ? (
          <JobsPage client={client} query={route.query} />
        ) : route.page === "new" ? (
          <NewJobPage key={route.fromJobId ?? ""} client={client} fromJobId={route.fromJobId} />
        ) : route.page === "compare" ? (
          <ComparePage client={client} jobIds={route.jobIds} />
        ) : route.page === "job" ? (
          <JobPage key={route.jobId} client={client} jobId={route.jobId} />
        ) : route.page === "run" ? (
          <RunPage key={`${route.jobId}/${route.index}`} client={client} jobId={route.jobId} index={route.index} />
        ) : (
          <section>
            <h1 id="page-title" tabIndex={-1}>
              Not found
            </h1>
            <p>
              There is no page here. <Link href="/">Back to jobs</Link>
            </p>
          </section>
        )}
      </main>
    </>
  );
}
