// The run_simulation submit form: every parameter of docs/simulation-contract.md with its default and range,
// composition per element, energy sources as an editable list. The server is the validator: a 422's details appear
// next to the fields they name (and in a summary at the top that links to them). One idempotency key per filled-in
// form, so a double click or a retry after a lost answer creates one job. Several values in a numeric input (or
// replicas above 1) make the job a generate_dataset; the "Runs" group says how many runs that is before submit.

import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { ApiClient, ApiError } from "../api/client";
import { FieldDetail, inputId, placeErrors } from "../lib/fieldErrors";
import { formatNumber } from "../lib/format";
import { CONFIG_FIELDS, ELEMENTS, ENERGY_SOURCE_FIELDS, MODES, Mode, PATHS, PRESETS, derivedDefault, sweepDetailOnInput } from "../lib/params";
import { SubmitDraft, buildSubmitBody, draftFromParams, draftRuns, draftSweep, initialDraft } from "../lib/request";
import { Link, navigate } from "../router";
import { CheckboxField } from "../ui/CheckboxField";
import { CompositionFields } from "../ui/CompositionFields";
import { EnergySourcesEditor } from "../ui/EnergySourcesEditor";
import { errorText } from "../ui/ErrorNotice";
import { ErrorSummary } from "../ui/ErrorSummary";
import { FieldErrors } from "../ui/FieldErrors";
import { NumberField } from "../ui/NumberField";
import { SelectField } from "../ui/SelectField";
import { TextField } from "../ui/TextField";

function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `web-${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

// The API paths the form currently shows an input (or group) for, so errors can be placed next to them.
function renderedPaths(draft: SubmitDraft): string[] {
  const paths = [PATHS.mode, PATHS.reactions, PATHS.webhookUrl, PATHS.energySources, PATHS.sweep, PATHS.replicas];
  paths.push(...CONFIG_FIELDS.map((field) => PATHS.config(field.name)));
  if (draft.mode === "open_chemistry") paths.push(PATHS.composition, ...ELEMENTS.map(PATHS.element));
  else paths.push(PATHS.preset);
  if (draft.setEnergySources) {
    draft.energySources.forEach((_, index) => {
      paths.push(PATHS.energySource(index));
      paths.push(...ENERGY_SOURCE_FIELDS.map((field) => PATHS.energySourceField(index, field.name)));
    });
  }
  return paths;
}

// `fromJobId`: re-run that job with changes: the form starts from its params (loading until they arrive).
export function NewJobPage(props: { client: ApiClient; fromJobId: string | null }) {
  const [draft, setDraft] = useState<SubmitDraft>(initialDraft);
  const [source, setSource] = useState<{ loaded: boolean; error: unknown }>({ loaded: props.fromJobId === null, error: null });
  useEffect(() => {
    if (props.fromJobId === null) return;
    let stopped = false;
    props.client.getJob(props.fromJobId).then(
      (job) => {
        if (stopped) return;
        setDraft(draftFromParams(job.params));
        setSource({ loaded: true, error: null });
      },
      (error: unknown) => {
        if (!stopped) setSource({ loaded: true, error });
      },
    );
    return () => {
      stopped = true;
    };
  }, [props.client, props.fromJobId]);
  const [details, setDetails] = useState<FieldDetail[]>([]);
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const idempotencyKey = useRef(newIdempotencyKey());
  const summaryRef = useRef<HTMLDivElement>(null);

  const placed = useMemo(() => placeErrors(details.map(sweepDetailOnInput), renderedPaths(draft)), [details, draft]);
  const runs = draftRuns(draft);
  const errorsFor = (path: string) => placed.byPath.get(path);

  // Nested fields change from the previous draft, not the rendered one: Preact batches renders.
  const update = (change: Partial<SubmitDraft> | ((previous: SubmitDraft) => Partial<SubmitDraft>)) => {
    setDraft((previous) => ({ ...previous, ...(typeof change === "function" ? change(previous) : change) }));
    idempotencyKey.current = newIdempotencyKey(); // a changed form is a new request
  };

  const reset = () => {
    setDraft(initialDraft());
    setDetails([]);
    setFormError(null);
    idempotencyKey.current = newIdempotencyKey();
  };

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    if (submitting) return;
    setSubmitting(true);
    setFormError(null);
    try {
      const job = await props.client.submitJob(buildSubmitBody(draft, idempotencyKey.current));
      navigate(`/jobs/${encodeURIComponent(job.job_id)}`);
    } catch (error) {
      setSubmitting(false);
      setDetails(error instanceof ApiError ? error.details : []);
      setFormError(error instanceof ApiError && error.details.length > 0 ? error.message : errorText(error));
      requestAnimationFrame(() => summaryRef.current?.focus());
    }
  };

  const steps = Number(draft.config.steps);
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        {props.fromJobId ? "Re-run with changes" : "New simulation"}
      </h1>
      {props.fromJobId && (
        <p class="notice">
          Starting from the parameters of{" "}
          <Link href={`/jobs/${encodeURIComponent(props.fromJobId)}`}>{props.fromJobId}</Link>
          {source.loaded ? "" : " (loading…)"}. Change what you like and submit: a new job is created.
        </p>
      )}
      {source.error !== null && <p class="notice notice-error" role="alert">Could not load that job's parameters: {errorText(source.error)}</p>}
      <ErrorSummary message={formError} placed={placed} focusRef={summaryRef} />
      <form class="submit-form" noValidate onSubmit={onSubmit}>
        <fieldset>
          <legend>Simulation</legend>
          <SelectField
            path={PATHS.mode}
            label="Mode"
            hint="Required"
            value={draft.mode}
            options={MODES}
            errors={errorsFor(PATHS.mode)}
            onChange={(mode) => update({ mode: mode as Mode })}
          />
          {draft.mode === "preset_prebiotic" && (
            <SelectField
              path={PATHS.preset}
              label="Starting mixture"
              hint="Default Miller-Urey"
              value={draft.preset}
              options={PRESETS}
              errors={errorsFor(PATHS.preset)}
              onChange={(preset) => update({ preset })}
            />
          )}
          <div class="field-grid">
            {CONFIG_FIELDS.map((field) => {
              const derived = derivedDefault(field.name, steps);
              return (
                <NumberField
                  key={field.name}
                  field={field}
                  path={PATHS.config(field.name)}
                  value={draft.config[field.name]}
                  placeholder={derived ? formatNumber(derived.value) : undefined}
                  defaultText={derived ? `${derived.rule} = ${formatNumber(derived.value)}` : undefined}
                  errors={errorsFor(PATHS.config(field.name))}
                  sweepable={field.name !== "seed"} // every run of a dataset gets its own seed from this one
                  onInput={(value) => update((d) => ({ config: { ...d.config, [field.name]: value } }))}
                />
              );
            })}
          </div>
          <CheckboxField
            path={PATHS.reactions}
            label="Reactions (bonds form and break)"
            hint="Default on; off gives pure physics"
            checked={draft.reactions}
            errors={errorsFor(PATHS.reactions)}
            onChange={(reactions) => update({ reactions })}
          />
        </fieldset>

        {draft.mode === "open_chemistry" && (
          <CompositionFields
            composition={draft.composition}
            errorsFor={errorsFor}
            onChange={(symbol, value) => update((d) => ({ composition: { ...d.composition, [symbol]: value } }))}
          />
        )}

        <EnergySourcesEditor
          enabled={draft.setEnergySources}
          sources={draft.energySources}
          errorsFor={errorsFor}
          onEnabledChange={(setEnergySources) => update({ setEnergySources })}
          onSourcesChange={(energySources) => update({ energySources })}
        />

        <RunsFields draft={draft} errorsFor={errorsFor} onReplicas={(replicas) => update({ replicas })} />

        <fieldset>
          <legend>Notification</legend>
          <TextField
            path={PATHS.webhookUrl}
            label="Webhook URL (optional)"
            hint="live2 POSTs the job there when it starts running and when it finishes (https only by default)."
            type="url"
            inputMode="url"
            placeholder="https://example.com/hook"
            value={draft.webhookUrl}
            errors={errorsFor(PATHS.webhookUrl)}
            onInput={(webhookUrl) => update({ webhookUrl })}
          />
        </fieldset>

        <div class="form-actions">
          <button type="submit" class="button button-primary" disabled={submitting || !source.loaded}>
            {submitting ? "Submitting…" : runs.dataset ? "Submit dataset" : "Submit job"}
          </button>
          <button type="button" class="button" onClick={reset}>
            Reset to defaults
          </button>
        </div>
      </form>
    </section>
  );
}

const REPLICAS_FIELD = {
  name: "replicas",
  label: "Replicas",
  integer: true,
  defaultValue: 1,
  min: 1,
  max: 10_000,
  unit: "runs per sweep point",
  help: "each with its own seed; more than 1 makes a dataset",
};

// Replicas and what the form submits: one run, or a dataset of sweep points x replicas (with the server's errors
// about the sweep as a whole, e.g. more runs than the tier allows, under it).
function RunsFields(props: {
  draft: SubmitDraft;
  errorsFor: (path: string) => string[] | undefined;
  onReplicas: (value: string) => void;
}) {
  const runs = draftRuns(props.draft);
  const sweep = draftSweep(props.draft);
  const id = inputId(PATHS.sweep);
  const points = sweep.map((entry) => `${entry.values.length} ${entry.field}`).join(" × ");
  const text = !runs.dataset
    ? "One run (a single job)."
    : runs.runs === null
      ? "A dataset: replicas must be a whole number."
      : `A dataset of ${formatNumber(runs.runs)} runs: ${points ? `${points} values` : "one point"} × ${formatNumber(runs.replicas ?? 1)} replicas.`;
  return (
    <fieldset>
      <legend>Runs</legend>
      <NumberField
        field={REPLICAS_FIELD}
        path={PATHS.replicas}
        value={props.draft.replicas}
        errors={props.errorsFor(PATHS.replicas)}
        onInput={props.onReplicas}
      />
      <p id={id} tabIndex={-1} class="run-count" aria-live="polite" data-runs={runs.runs ?? ""}>
        {text}
      </p>
      <FieldErrors id={id} messages={props.errorsFor(PATHS.sweep)} />
    </fieldset>
  );
}
