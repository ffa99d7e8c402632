// Sign in with an API key. The key is checked with one API call before it is kept (in sessionStorage only).

import { useState } from "preact/hooks";
import { verifyApiKey } from "../api/client";

const KEY_FORMAT = /^sk_live_[0-9a-f]{32}$/;

export function SignInPage(props: { notice: string | null; onSignedIn: (apiKey: string) => void }) {
  const [apiKey, setApiKey] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    const candidate = apiKey.trim();
    if (!KEY_FORMAT.test(candidate)) {
      setError("An API key looks like sk_live_ followed by 32 lowercase hex characters.");
      return;
    }
    setChecking(true);
    const failure = await verifyApiKey(candidate);
    setChecking(false);
    if (failure === null) props.onSignedIn(candidate);
    else setError(failure.status === 401 ? "This key is not valid (unknown or revoked)." : failure.message);
  };

  return (
    <section class="sign-in" aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        Sign in
      </h1>
      {props.notice && <p class="notice">{props.notice}</p>}
      <form onSubmit={onSubmit} noValidate>
        <div class={error ? "field field-invalid" : "field"}>
          <label for="api-key">API key</label>
          <input
            id="api-key"
            name="api-key"
            type="password"
            autoComplete="off"
            spellcheck={false}
            value={apiKey}
            aria-invalid={error !== null}
            aria-describedby={error ? "api-key-hint api-key-error" : "api-key-hint"}
            onInput={(event) => setApiKey((event.currentTarget as HTMLInputElement).value)}
          />
          <p class="hint" id="api-key-hint">
            Create one with <code>live2 keys create --user NAME --tier hobby</code>. It is kept in this tab only.
          </p>
          {error && (
            <p class="field-error" id="api-key-error" role="alert">
              {error}
            </p>
          )}
        </div>
        <button type="submit" class="button button-primary" disabled={checking}>
          {checking ? "Checking…" : "Sign in"}
        </button>
      </form>
    </section>
  );
}
