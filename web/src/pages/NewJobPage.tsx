// The run_simulation submit form: every parameter of SIMULATION.md with its default and range, composition per
// element, energy sources as an editable list. The server is the validator: a 422's details appear next to the
// fields they name (and in a summary at the top that links to them). One idempotency key per filled-in form, so a
// double click or a retry after a lost answer creates one job.

import { useMemo, useRef, useState } from "preact/hooks";
import { ApiClient, ApiError } from "../api/client";
import { FieldDetail, inputId, placeErrors } from "../lib/fieldErrors";
import { formatNumber } from "../lib/format";
import {
  CONFIG_FIELDS,
  DEFAULT_COMPOSITION,
  ELEMENTS,
  ENERGY_SOURCE_FIELDS,
  MODES,
  Mode,
  PATHS,
  PRESETS,
  derivedDefault,
} from "../lib/params";
import { SubmitDraft, buildSubmitBody, initialDraft, newEnergySource } from "../lib/request";
import { navigate } from "../router";
import { errorText } from "../ui/ErrorNotice";
import { FieldErrors, NumberField, describedBy } from "../ui/NumberField";
import { SelectField } from "../ui/SelectField";

function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `web-${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

function renderedPaths(draft: SubmitDraft): string[] {
  const paths = [PATHS.mode, PATHS.reactions, PATHS.webhookUrl, ...CONFIG_FIELDS.map((f) => PATHS.config(f.name))];
  if (draft.mode === "open_chemistry") paths.push(PATHS.composition, ...ELEMENTS.map(PATHS.element));
  else paths.push(PATHS.preset);
  if (draft.setEnergySources) {
    paths.push(PATHS.energySources);
    draft.energySources.forEach((_, index) => {
      paths.push(PATHS.energySource(index), ...ENERGY_SOURCE_FIELDS.map((f) => PATHS.energySourceField(index, f.name)));
    });
  }
  return paths;
}

export function NewJobPage(props: { client: ApiClient }) {
  const [draft, setDraft] = useState<SubmitDraft>(initialDraft);
  const [details, setDetails] = useState<FieldDetail[]>([]);
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const idempotencyKey = useRef(newIdempotencyKey());
  const summaryRef = useRef<HTMLDivElement>(null);

  const placed = useMemo(() => placeErrors(details, renderedPaths(draft)), [details, draft]);
  const errorsFor = (path: string) => placed.byPath.get(path);

  const update = (change: (draft: SubmitDraft) => SubmitDraft) => {
    setDraft((previous) => change(previous));
    idempotencyKey.current = newIdempotencyKey(); // a changed form is a new request
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
      if (error instanceof ApiError && error.details.length > 0) {
        setDetails(error.details);
        setFormError(error.message);
      } else {
        setDetails([]);
        setFormError(errorText(error));
      }
      requestAnimationFrame(() => summaryRef.current?.focus());
    }
  };

  const steps = Number(draft.config.steps);
  const webhookId = inputId(PATHS.webhookUrl);
  const reactionsId = inputId(PATHS.reactions);
  const compositionId = inputId(PATHS.composition);
  const sourcesId = inputId(PATHS.energySources);

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        New simulation
      </h1>
      <div ref={summaryRef} tabIndex={-1} class="form-summary" aria-live="assertive">
        {formError !== null && (
          <div class="notice notice-error" role="alert">
            <p>The job was not accepted: {formError}</p>
            {details.length > 0 && (
              <ul>
                {placed.unplaced.map((detail) => (
                  <li key={detail.field}>
                    <code>{detail.field}</code>: {detail.message}
                  </li>
                ))}
                {[...placed.byPath.entries()].map(([path, messages]) => (
                  <li key={path}>
                    <a href={`#${inputId(path)}`}>{path.replace(/^params\.simulation_config\.(config\.)?/, "")}</a>:{" "}
                    {messages.join("; ")}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
      </div>
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
            onChange={(mode) => update((d) => ({ ...d, mode: mode as Mode }))}
          />
          {draft.mode === "preset_prebiotic" && (
            <SelectField
              path={PATHS.preset}
              label="Starting mixture"
              hint="Default Miller-Urey"
              value={draft.preset}
              options={PRESETS}
              errors={errorsFor(PATHS.preset)}
              onChange={(preset) => update((d) => ({ ...d, preset }))}
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
                  onInput={(value) => update((d) => ({ ...d, config: { ...d.config, [field.name]: value } }))}
                />
              );
            })}
          </div>
          <div class="field field-check">
            <input
              id={reactionsId}
              type="checkbox"
              checked={draft.reactions}
              aria-describedby={describedBy(reactionsId, errorsFor(PATHS.reactions))}
              onChange={(event) => {
                const reactions = (event.currentTarget as HTMLInputElement).checked;
                update((d) => ({ ...d, reactions }));
              }}
            />
            <label for={reactionsId}>Reactions (bonds form and break)</label>
            <p class="hint" id={`${reactionsId}-hint`}>
              Default on; off gives pure physics
            </p>
            <FieldErrors id={reactionsId} messages={errorsFor(PATHS.reactions)} />
          </div>
        </fieldset>

        {draft.mode === "open_chemistry" && (
          <fieldset aria-describedby={describedBy(compositionId, errorsFor(PATHS.composition))}>
            <legend>Composition</legend>
            <p class="hint" id={`${compositionId}-hint`}>
              Fraction of atoms per element, normalised by the server; 0 leaves the element out. Default H 0.5, C 0.2,
              N 0.1, O 0.2.
            </p>
            <FieldErrors id={compositionId} messages={errorsFor(PATHS.composition)} />
            <div class="field-grid field-grid-compact">
              {ELEMENTS.map((symbol) => (
                <NumberField
                  key={symbol}
                  field={{
                    name: symbol,
                    label: symbol,
                    integer: false,
                    defaultValue: DEFAULT_COMPOSITION[symbol],
                    min: 0,
                    max: null,
                    unit: "",
                    help: "",
                  }}
                  path={PATHS.element(symbol)}
                  value={draft.composition[symbol]}
                  errors={errorsFor(PATHS.element(symbol))}
                  onInput={(value) => update((d) => ({ ...d, composition: { ...d.composition, [symbol]: value } }))}
                />
              ))}
            </div>
          </fieldset>
        )}

        <fieldset aria-describedby={describedBy(sourcesId, errorsFor(PATHS.energySources))}>
          <legend>Energy sources</legend>
          <div class="field field-check">
            <input
              id={`${sourcesId}-set`}
              type="checkbox"
              checked={draft.setEnergySources}
              onChange={(event) => {
                const setEnergySources = (event.currentTarget as HTMLInputElement).checked;
                update((d) => ({ ...d, setEnergySources }));
              }}
            />
            <label for={`${sourcesId}-set`}>Choose the energy sources myself</label>
          </div>
          <p class="hint" id={`${sourcesId}-hint`}>
            Discs where the heat bath is hotter, optionally pulsed (lightning, vents). Position and radius are fractions
            of the box side. Default: the preset's sources, none for open chemistry.
          </p>
          <FieldErrors id={sourcesId} messages={errorsFor(PATHS.energySources)} />
          {draft.setEnergySources && (
            <>
              {draft.energySources.length === 0 && <p class="muted">No energy sources: the whole box is at the bath temperature.</p>}
              <ol class="sources">
                {draft.energySources.map((source, index) => {
                  const sourceId = inputId(PATHS.energySource(index));
                  return (
                    <li key={index} class="source" aria-labelledby={`${sourceId}-title`}>
                      <div class="source-head">
                        <h3 id={`${sourceId}-title`}>Source {index + 1}</h3>
                        <button
                          type="button"
                          class="button-link"
                          onClick={() =>
                            update((d) => ({ ...d, energySources: d.energySources.filter((_, i) => i !== index) }))
                          }
                        >
                          Remove source {index + 1}
                        </button>
                      </div>
                      <FieldErrors id={sourceId} messages={errorsFor(PATHS.energySource(index))} />
                      <div class="field-grid field-grid-compact">
                        {ENERGY_SOURCE_FIELDS.map((field) => (
                          <NumberField
                            key={field.name}
                            field={field}
                            path={PATHS.energySourceField(index, field.name)}
                            value={source[field.name]}
                            errors={errorsFor(PATHS.energySourceField(index, field.name))}
                            onInput={(value) =>
                              update((d) => ({
                                ...d,
                                energySources: d.energySources.map((s, i) => (i === index ? { ...s, [field.name]: value } : s)),
                              }))
                            }
                          />
                        ))}
                      </div>
                    </li>
                  );
                })}
              </ol>
              <button
                type="button"
                class="button"
                onClick={() => update((d) => ({ ...d, energySources: [...d.energySources, newEnergySource()] }))}
              >
                Add energy source
              </button>
            </>
          )}
        </fieldset>

        <fieldset>
          <legend>Notification</legend>
          <div class="field">
            <label for={webhookId}>Webhook URL (optional)</label>
            <input
              id={webhookId}
              type="url"
              autoComplete="off"
              value={draft.webhookUrl}
              placeholder="https://example.com/hook"
              aria-invalid={Boolean(errorsFor(PATHS.webhookUrl))}
              aria-describedby={describedBy(webhookId, errorsFor(PATHS.webhookUrl))}
              onInput={(event) => {
                const webhookUrl = (event.currentTarget as HTMLInputElement).value;
                update((d) => ({ ...d, webhookUrl }));
              }}
            />
            <p class="hint" id={`${webhookId}-hint`}>
              live2 POSTs the job there when it starts running and when it finishes (https only by default).
            </p>
            <FieldErrors id={webhookId} messages={errorsFor(PATHS.webhookUrl)} />
          </div>
        </fieldset>

        <div class="form-actions">
          <button type="submit" class="button button-primary" disabled={submitting}>
            {submitting ? "Submitting…" : "Submit job"}
          </button>
          <button
            type="button"
            class="button"
            onClick={() => {
              setDraft(initialDraft());
              setDetails([]);
              setFormError(null);
              idempotencyKey.current = newIdempotencyKey();
            }}
          >
            Reset to defaults
          </button>
        </div>
      </form>
    </section>
  );
}
