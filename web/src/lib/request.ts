// Turns the submit form's draft (every value as typed) into the POST /api/v1/jobs body text. Empty inputs are left
// out so the server applies its defaults; inputs that are not numbers are sent as typed so the server's 422 names
// them. Number literals are copied verbatim, which keeps 64-bit seeds exact (a JS number holds only 53 bits). Pure.

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

function isZero(text: string): boolean {
  const literal = numberOrText(text);
  return literal instanceof NumberLiteral && Number(literal.text) === 0;
}

export function buildSubmitBody(draft: SubmitDraft, idempotencyKey: string): string {
  const config: { [key: string]: JsonLike } = {};
  for (const field of CONFIG_FIELDS) {
    const typed = draft.config[field.name];
    if (typed.trim() !== "") config[field.name] = numberOrText(typed);
  }
  if (draft.mode === "open_chemistry") {
    const composition: { [key: string]: JsonLike } = {};
    for (const symbol of ELEMENTS) {
      const typed = draft.composition[symbol];
      if (typed.trim() !== "" && !isZero(typed)) composition[symbol] = numberOrText(typed);
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
  const body: { [key: string]: JsonLike } = {
    job_type: "run_simulation",
    params: { simulation_config: { mode: draft.mode, config } },
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
  };
}

export function newEnergySource(): Record<EnergySourceFieldName, string> {
  const source = {} as Record<EnergySourceFieldName, string>;
  for (const field of ENERGY_SOURCE_FIELDS) source[field.name] = defaultText(field.defaultValue);
  return source;
}

function textOf(value: unknown): string | null {
  return typeof value === "number" || typeof value === "string" ? String(value) : null;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

// The form filled from an earlier job's params ("Re-run with changes"): what the job set is typed in, everything else
// keeps the form's default. Energy sources the job listed are set explicitly (an empty list stays "none").
export function draftFromParams(params: unknown): SubmitDraft {
  const draft = initialDraft();
  const simulation = record(record(params).simulation_config);
  const config = record(simulation.config);
  if (simulation.mode === "open_chemistry" || simulation.mode === "preset_prebiotic") draft.mode = simulation.mode;
  for (const field of CONFIG_FIELDS) {
    const text = textOf(config[field.name]);
    if (text !== null) draft.config[field.name] = text;
  }
  if (typeof config.preset === "string") draft.preset = config.preset;
  if (typeof config.reactions === "boolean") draft.reactions = config.reactions;
  const composition = record(config.composition);
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
