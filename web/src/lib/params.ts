// The run_simulation parameters of docs/openapi.yaml as data for the submit form: label, default, range,
// unit. Ranges here are for display only; the server validates (one validator, shared with the worker) and the form
// shows its 422 details next to the fields. Energy-source geometry is in fractions of the box side (src/sim/params.h).

export type Mode = "open_chemistry" | "preset_prebiotic";
export const MODES: { value: Mode; label: string }[] = [
  { value: "open_chemistry", label: "Open chemistry (random atoms)" },
  { value: "preset_prebiotic", label: "Prebiotic preset (a named starting mixture)" },
];

export const PRESETS: { value: string; label: string }[] = [
  { value: "miller_urey", label: "Miller-Urey (CH4, NH3, H2O, H2)" },
  { value: "hydrothermal", label: "Hydrothermal vent (H2O, CO2, H2S, H2)" },
  { value: "formamide", label: "Formamide (HCONH2, H2O)" },
];
export const DEFAULT_PRESET = "miller_urey";

export const ELEMENTS = ["H", "C", "N", "O", "P", "S"] as const;
export type ElementSymbol = (typeof ELEMENTS)[number];
export const DEFAULT_COMPOSITION: Record<ElementSymbol, number> = { H: 0.5, C: 0.2, N: 0.1, O: 0.2, P: 0, S: 0 };

export interface NumericField<Name extends string = string> {
  name: Name;
  label: string;
  integer: boolean;
  defaultValue: number | null; // null: derived from other fields, see derivedDefault
  min: number | null;
  max: number | null;
  unit: string;
  help: string;
}

export type ConfigFieldName =
  | "num_particles"
  | "temperature"
  | "steps"
  | "seed"
  | "dt_fs"
  | "density"
  | "friction"
  | "capture_factor"
  | "attempt_rate"
  | "barrier_scale"
  | "snapshot_interval"
  | "analysis_interval"
  | "chemistry_scale";

export const CONFIG_FIELDS: NumericField<ConfigFieldName>[] = [
  { name: "num_particles", label: "Particles", integer: true, defaultValue: 1000, min: 2, max: 2_000_000, unit: "atoms", help: "" },
  { name: "temperature", label: "Temperature", integer: false, defaultValue: 300, min: 1, max: 5000, unit: "K", help: "reduced kT = temperature / 300" },
  { name: "steps", label: "Steps", integer: true, defaultValue: 50000, min: 1, max: 1_000_000_000, unit: "steps", help: "" },
  { name: "seed", label: "Seed", integer: true, defaultValue: 42, min: null, max: null, unit: "", help: "any 64-bit value; same seed and parameters give identical results" },
  { name: "dt_fs", label: "Time step", integer: false, defaultValue: null, min: 0.008, max: 1.6, unit: "fs", help: "" },
  { name: "density", label: "Density", integer: false, defaultValue: 0.4, min: 0.01, max: 0.9, unit: "atoms / area", help: "box side L = sqrt(N / density)" },
  { name: "friction", label: "Friction (Langevin gamma)", integer: false, defaultValue: 1.0, min: 0.01, max: 100, unit: "", help: "" },
  { name: "capture_factor", label: "Capture radius", integer: false, defaultValue: 1.3, min: 1.1, max: 2, unit: "rest lengths", help: "pairs closer than this form and break bonds" },
  { name: "attempt_rate", label: "Reaction attempt rate", integer: false, defaultValue: 20, min: 0, max: 200, unit: "per unit time", help: "tries per pair within the capture radius; times dt (80 fs units) at most 1" },
  { name: "barrier_scale", label: "Barrier scale", integer: false, defaultValue: 1, min: 0, max: 10, unit: "x Ea", help: "scales every activation energy: rates, not equilibria" },
  { name: "snapshot_interval", label: "Snapshot interval", integer: true, defaultValue: null, min: 1, max: 1_000_000_000, unit: "steps", help: "steps between full snapshots" },
  { name: "analysis_interval", label: "Analysis interval", integer: true, defaultValue: null, min: 1, max: 1_000_000_000, unit: "steps", help: "steps between metric and species records" },
  { name: "chemistry_scale", label: "Chemistry scale", integer: false, defaultValue: 0.1, min: 0.001, max: 1, unit: "x real BDE", help: "bond depth D = scale x real bond energy: T behaves like real T / scale" },
];

// The server's default for fields whose default depends on other fields (docs/simulation-contract.md), for the
// placeholder text. The time step's is 0.8 fs unless a hot bath or energy source or a high attempt rate needs less,
// which the server works out: the form leaves the field empty rather than send a step that a hot source refuses.
export function derivedDefault(name: ConfigFieldName, steps: number): { value: number; rule: string } | null {
  const validSteps = Number.isFinite(steps) && steps >= 1 ? Math.floor(steps) : 50000;
  if (name === "dt_fs") return { value: 0.8, rule: "0.8 fs, less where the run's stability bounds need it" };
  if (name === "snapshot_interval") return { value: Math.max(1, Math.floor(validSteps / 20)), rule: "steps / 20" };
  if (name === "analysis_interval") {
    return { value: Math.max(100, Math.floor(validSteps / 500)), rule: "max(100, steps / 500)" };
  }
  return null;
}

export type EnergySourceFieldName = "x" | "y" | "radius" | "temperature" | "period" | "duty";
export const ENERGY_SOURCE_FIELDS: NumericField<EnergySourceFieldName>[] = [
  { name: "x", label: "x", integer: false, defaultValue: 0.5, min: 0, max: 1, unit: "box side", help: "" },
  { name: "y", label: "y", integer: false, defaultValue: 0.5, min: 0, max: 1, unit: "box side", help: "" },
  { name: "radius", label: "Radius", integer: false, defaultValue: 0.1, min: 0, max: 0.5, unit: "box side", help: "" },
  { name: "temperature", label: "Temperature", integer: false, defaultValue: 1500, min: 1, max: 5000, unit: "K", help: "" },
  { name: "period", label: "Period", integer: false, defaultValue: 0, min: 0, max: 1_000_000_000, unit: "reduced time", help: "0: always on" },
  { name: "duty", label: "Duty", integer: false, defaultValue: 1, min: 0, max: 1, unit: "fraction on", help: "" },
];

// API field paths (as in a 422's details[].field) of each form input.
export const PATHS = {
  mode: "params.simulation_config.mode",
  config: (name: string) => `params.simulation_config.config.${name}`,
  composition: "params.simulation_config.config.composition",
  element: (symbol: ElementSymbol) => `params.simulation_config.config.composition.${symbol}`,
  preset: "params.simulation_config.config.preset",
  reactions: "params.simulation_config.config.reactions",
  energySources: "params.simulation_config.config.energy_sources",
  energySource: (index: number) => `params.simulation_config.config.energy_sources[${index}]`,
  energySourceField: (index: number, name: EnergySourceFieldName) =>
    `params.simulation_config.config.energy_sources[${index}].${name}`,
  webhookUrl: "webhook_url",
  sweep: "params.sweep",
  replicas: "params.replicas",
};

const SWEEP_ENTRY = /^params\.sweep\.([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*)(?:\[(\d+)\])?$/;

// A 422 detail about a swept value (`params.sweep.temperature[2]`, `params.sweep.composition.C`) moved to the input
// the values were typed in, saying which value when it names one; any other detail unchanged.
export function sweepDetailOnInput(detail: { field: string; message: string }): { field: string; message: string } {
  const entry = SWEEP_ENTRY.exec(detail.field);
  if (!entry) return detail;
  const message = entry[2] === undefined ? detail.message : `value ${Number(entry[2]) + 1}: ${detail.message}`;
  return { field: PATHS.config(entry[1]), message };
}

export function rangeText(field: NumericField, format: (n: number) => string): string {
  if (field.min !== null && field.max !== null) return `${format(field.min)} – ${format(field.max)}`;
  if (field.min !== null) return `at least ${format(field.min)}`;
  if (field.max !== null) return `at most ${format(field.max)}`;
  return "";
}

const COMPOSITION_PREFIX = `${PATHS.composition}.`;
const SOURCE_PATTERN = /^params\.simulation_config\.config\.energy_sources\[(\d+)\](?:\.(\w+))?$/;

// The name a person reads for an API field path, e.g. "Particles" for params.simulation_config.config.num_particles
// and "Energy source 2: Duty" for ...energy_sources[1].duty; unknown paths lose their params prefix only.
export function fieldLabel(path: string): string {
  const known: Record<string, string> = {
    [PATHS.mode]: "Mode",
    [PATHS.preset]: "Starting mixture",
    [PATHS.reactions]: "Reactions",
    [PATHS.composition]: "Composition",
    [PATHS.energySources]: "Energy sources",
    [PATHS.webhookUrl]: "Webhook URL",
    [PATHS.sweep]: "Runs",
    [PATHS.replicas]: "Replicas",
  };
  if (known[path]) return known[path];
  const config = CONFIG_FIELDS.find((field) => PATHS.config(field.name) === path);
  if (config) return config.label;
  if (path.startsWith(COMPOSITION_PREFIX)) return `Composition: ${path.slice(COMPOSITION_PREFIX.length)}`;
  const source = SOURCE_PATTERN.exec(path);
  if (source) {
    const field = ENERGY_SOURCE_FIELDS.find((f) => f.name === source[2]);
    return `Energy source ${Number(source[1]) + 1}${field ? `: ${field.label}` : ""}`;
  }
  return path.replace(/^params\.simulation_config\.(config\.)?/, "");
}

// A server message in words: numbers like 1e+09 written out (1,000,000,000).
export function humanizeMessage(message: string): string {
  return message.replace(/\b(\d+(?:\.\d+)?)e\+(\d+)\b/g, (whole, mantissa: string, exponent: string) => {
    const value = Number(mantissa) * 10 ** Number(exponent);
    return Number.isSafeInteger(value) ? new Intl.NumberFormat("en").format(value) : whole;
  });
}
