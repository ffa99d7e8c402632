// Turns the submit form's draft (every value as typed) into the POST /api/v1/jobs body text. Empty inputs are left
// out so the server applies its defaults; inputs that are not numbers are sent as typed so the server's 422 names
// them. Number literals are copied verbatim, which keeps 64-bit seeds exact (a JS number holds only 53 bits).
// A numeric input holding several values (separated by commas or spaces) is a sweep: the body becomes a
// generate_dataset with `sweep` (that field's values, dotted for composition) and `replicas`; so does replicas > 1
// alone (an ensemble). Pure.

import {
  CONFIG_FIELDS,
  ConfigFieldName,
  DEFAULT_COMPOSITION,
  DEFAULT_PRESET,
  ELEMENTS,
  ENERGY_SOURCE_FIELDS,
  ElementSymbol,
  EnergySourceFieldName,
  Mode,
} from "./params";

export interface SubmitDraft {
  mode: Mode;
  config: Record<ConfigFieldName, string>;
  composition: Record<ElementSymbol, string>;
  preset: string;
  reactions: boolean;
  setEnergySources: boolean; // false: leave energy_sources to the server (the preset's default, else none)
  energySources: Record<EnergySourceFieldName, string>[];
  webhookUrl: string;
  replicas: string; // runs per sweep point; a number other than 1 makes a dataset
}

// A JSON number kept as its source text.
class NumberLiteral {
  constructor(readonly text: string) {}
}
type JsonLike = string | number | boolean | null | NumberLiteral | JsonLike[] | { [key: string]: JsonLike };

const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

function numberOrText(typed: string): NumberLiteral | string {
  const text = typed.trim();
  return JSON_NUMBER.test(text) ? new NumberLiteral(text) : text;
}

function serialize(value: JsonLike): string {
  if (value instanceof NumberLiteral) return value.text;
  if (Array.isArray(value)) return `[${value.map(serialize).join(",")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.entries(value)
      .map(([key, member]) => `${JSON.stringify(key)}:${serialize(member)}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

// The values typed into one input: several make a sweep.
export function typedValues(typed: string): string[] {
  return typed.split(/[\s,]+/).filter((value) => value !== "");
}

// The swept fields of a draft in form order (config fields, then composition), by their sweep name.
export function draftSweep(draft: SubmitDraft): { field: string; values: string[] }[] {
  const sweep: { field: string; values: string[] }[] = [];
  for (const field of CONFIG_FIELDS) {
    const values = typedValues(draft.config[field.name]);
    if (values.length > 1) sweep.push({ field: field.name, values });
  }
  if (draft.mode === "open_chemistry") {
    for (const symbol of ELEMENTS) {
      const values = typedValues(draft.composition[symbol]);
      if (values.length > 1) sweep.push({ field: `composition.${symbol}`, values });
    }
  }
  return sweep;
}

// What the form submits: one run, or a dataset of points x replicas runs (replicas null when not a whole number,
// which the server refuses with a 422 on params.replicas).
export interface DraftRuns {
  dataset: boolean;
  points: number;
  replicas: number | null;
  runs: number | null;
}

export function draftRuns(draft: SubmitDraft): DraftRuns {
  const points = draftSweep(draft).reduce((product, entry) => product * entry.values.length, 1);
  const text = draft.replicas.trim();
  const replicas = text === "" ? 1 : /^\d+$/.test(text) ? Number(text) : null;
  const dataset = points > 1 || replicas !== 1;
  return { dataset, points, replicas, runs: replicas === null ? null : points * replicas };
}

function isZero(text: string): boolean {
  const literal = numberOrText(text);
  return literal instanceof NumberLiteral && Number(literal.text) === 0;
}

export function buildSubmitBody(draft: SubmitDraft, idempotencyKey: string): string {
  const sweep = draftSweep(draft);
  const swept = new Set(sweep.map((entry) => entry.field));
  const config: { [key: string]: JsonLike } = {};
  for (const field of CONFIG_FIELDS) {
    const typed = draft.config[field.name];
    if (typed.trim() !== "" && !swept.has(field.name)) config[field.name] = numberOrText(typed);
  }
  if (draft.mode === "open_chemistry") {
    const composition: { [key: string]: JsonLike } = {};
    for (const symbol of ELEMENTS) {
      const typed = draft.composition[symbol];
      if (typed.trim() !== "" && !isZero(typed) && !swept.has(`composition.${symbol}`)) composition[symbol] = numberOrText(typed);
    }
    config.composition = composition;
  } else {
    config.preset = draft.preset;
  }
  config.reactions = draft.reactions;
  if (draft.setEnergySources) {
    config.energy_sources = draft.energySources.map((source) => {
      const out: { [key: string]: JsonLike } = {};
      for (const field of ENERGY_SOURCE_FIELDS) {
        if (source[field.name].trim() !== "") out[field.name] = numberOrText(source[field.name]);
      }
      return out;
    });
  }
  const params: { [key: string]: JsonLike } = { simulation_config: { mode: draft.mode, config } };
  const runs = draftRuns(draft);
  if (runs.dataset) {
    params.sweep = Object.fromEntries(sweep.map((entry) => [entry.field, entry.values.map(numberOrText)]));
    params.replicas = draft.replicas.trim() === "" ? new NumberLiteral("1") : numberOrText(draft.replicas);
  }
  const body: { [key: string]: JsonLike } = {
    job_type: runs.dataset ? "generate_dataset" : "run_simulation",
    params,
    idempotency_key: idempotencyKey,
  };
  if (draft.webhookUrl.trim() !== "") body.webhook_url = draft.webhookUrl.trim();
  return serialize(body);
}

function defaultText(value: number | null): string {
  return value === null ? "" : String(value);
}

export function initialDraft(): SubmitDraft {
  const config = {} as Record<ConfigFieldName, string>;
  for (const field of CONFIG_FIELDS) config[field.name] = defaultText(field.defaultValue);
  return {
    mode: "open_chemistry",
    config,
    composition: Object.fromEntries(ELEMENTS.map((symbol) => [symbol, String(DEFAULT_COMPOSITION[symbol])])) as Record<
      ElementSymbol,
      string
    >,
    preset: DEFAULT_PRESET,
    reactions: true,
    setEnergySources: false,
    energySources: [],
    webhookUrl: "",
    replicas: "1",
  };
}

export function newEnergySource(): Record<EnergySourceFieldName, string> {
  const source = {} as Record<EnergySourceFieldName, string>;
  for (const field of ENERGY_SOURCE_FIELDS) source[field.name] = defaultText(field.defaultValue);
  return source;
}

function textOf(value: unknown): string | null {
  if (Array.isArray(value)) {
    const texts = value.map(textOf);
    return texts.every((text): text is string => text !== null) ? texts.join(", ") : null;
  }
  return typeof value === "number" || typeof value === "string" ? String(value) : null;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

// The form filled from an earlier job's params ("Re-run with changes"): what the job set is typed in, everything else
// keeps the form's default. Energy sources the job listed are set explicitly (an empty list stays "none"). A dataset's
// swept fields come back as their lists of values, and its replicas.
export function draftFromParams(params: unknown): SubmitDraft {
  const draft = initialDraft();
  const simulation = record(record(params).simulation_config);
  const sweep = record(record(params).sweep);
  const config: Record<string, unknown> = { ...record(simulation.config) };
  const composition = { ...record(config.composition) };
  for (const [field, values] of Object.entries(sweep)) {
    if (field.startsWith("composition.")) composition[field.slice("composition.".length)] = values;
    else config[field] = values;
  }
  const replicas = record(params).replicas;
  if (typeof replicas === "number") draft.replicas = String(replicas);
  if (simulation.mode === "open_chemistry" || simulation.mode === "preset_prebiotic") draft.mode = simulation.mode;
  for (const field of CONFIG_FIELDS) {
    const text = textOf(config[field.name]);
    if (text !== null) draft.config[field.name] = text;
  }
  if (typeof config.preset === "string") draft.preset = config.preset;
  if (typeof config.reactions === "boolean") draft.reactions = config.reactions;
  if (Object.keys(composition).length > 0) {
    for (const symbol of ELEMENTS) draft.composition[symbol] = textOf(composition[symbol]) ?? "0";
  }
  if (Array.isArray(config.energy_sources)) {
    draft.setEnergySources = true;
    draft.energySources = config.energy_sources.map((source) => {
      const filled = newEnergySource();
      for (const field of ENERGY_SOURCE_FIELDS) {
        const text = textOf(record(source)[field.name]);
        if (text !== null) filled[field.name] = text;
      }
      return filled;
    });
  }
  return draft;
}
