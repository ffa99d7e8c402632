// The run report's data: the worker's summary.json, molecules.json and species_counts.csv (docs/simulation-contract.md)
// read into plain shapes, and the species table's search and sort. Unknown or missing fields degrade to "–" in
// the report rather than to a broken page. Pure.

export interface Species {
  key: string;
  formula: string;
  atoms: number | null;
  firstSeenStep: number | null;
  finalCount: number | null;
  maxCount: number | null;
}

export interface Reaction {
  equation: string; // by species keys when the worker gives formula_equation too, else by formulas
  formulaEquation: string; // by formulas, what a person reads
  count: number | null;
  recrossings: number | null; // of `count`, how many undid the reverse reaction just before
  firstStep: number | null;
}

export interface RunSummary {
  speciesCount: number | null;
  reactionCount: number | null;
  runtimeSeconds: number | null;
  topSpecies: Species[];
  topReactions: Reaction[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function numberOrNull(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

function toSpecies(value: unknown): Species | null {
  if (!isRecord(value) || typeof value.key !== "string") return null;
  return {
    key: value.key,
    formula: typeof value.formula === "string" ? value.formula : value.key.split("#")[0],
    atoms: numberOrNull(value.atoms),
    firstSeenStep: numberOrNull(value.first_seen_step),
    finalCount: numberOrNull(value.final_count),
    maxCount: numberOrNull(value.max_count),
  };
}

function toReaction(value: unknown): Reaction | null {
  if (!isRecord(value) || typeof value.equation !== "string") return null;
  return {
    equation: value.equation,
    formulaEquation: typeof value.formula_equation === "string" ? value.formula_equation : value.equation,
    count: numberOrNull(value.count),
    recrossings: numberOrNull(value.recrossings),
    firstStep: numberOrNull(value.first_step),
  };
}

function listOf<T>(value: unknown, convert: (item: unknown) => T | null): T[] {
  if (!Array.isArray(value)) return [];
  return value.map(convert).filter((item): item is T => item !== null);
}

export function parseSummary(body: unknown): RunSummary {
  const summary = isRecord(body) ? body : {};
  return {
    speciesCount: numberOrNull(summary.species_count),
    reactionCount: numberOrNull(summary.reaction_count),
    runtimeSeconds: numberOrNull(summary.runtime_seconds),
    topSpecies: listOf(summary.top_species, toSpecies),
    topReactions: listOf(summary.top_reactions, toReaction),
  };
}

// molecules.json is an array of species; `{"species": [...]}` is accepted too.
export function parseMolecules(body: unknown): Species[] {
  return listOf(isRecord(body) ? body.species : body, toSpecies);
}

export type SpeciesColumn = "formula" | "key" | "firstSeenStep" | "finalCount" | "maxCount";
export interface SpeciesOrder {
  column: SpeciesColumn;
  descending: boolean;
}

// Case-insensitive match on formula or structure key; then sorted by one column (missing numbers last), ties by key.
export function selectSpecies(species: Species[], search: string, order: SpeciesOrder): Species[] {
  const needle = search.trim().toLowerCase();
  const matching = needle
    ? species.filter((s) => s.formula.toLowerCase().includes(needle) || s.key.toLowerCase().includes(needle))
    : species.slice();
  const sign = order.descending ? -1 : 1;
  return matching.sort((a, b) => {
    const left = a[order.column];
    const right = b[order.column];
    let compared = 0;
    if (typeof left === "string" && typeof right === "string") compared = sign * left.localeCompare(right, "en");
    else if (left === null && right !== null) return 1;
    else if (right === null && left !== null) return -1;
    else compared = sign * (((left as number | null) ?? 0) - ((right as number | null) ?? 0));
    return compared !== 0 ? compared : a.key.localeCompare(b.key, "en");
  });
}

// Species grouped by the step they first appeared in, earliest first.
export function firstAppearances(species: Species[]): { step: number; species: Species[] }[] {
  const byStep = new Map<number, Species[]>();
  for (const s of species) {
    if (s.firstSeenStep === null) continue;
    const group = byStep.get(s.firstSeenStep) ?? [];
    group.push(s);
    byStep.set(s.firstSeenStep, group);
  }
  return [...byStep.entries()]
    .sort(([a], [b]) => a - b)
    .map(([step, group]) => ({ step, species: group.sort((a, b) => a.formula.localeCompare(b.formula, "en")) }));
}

// species_counts.csv: either wide (`step,<key>,<key>,...`, one row per analysis step) or long (`step,key,count`).
// Returns the steps and, per species key, its count at each of them (0 where a long table has no row).
export interface SpeciesCounts {
  steps: number[];
  counts: Map<string, number[]>;
}

export function parseSpeciesCounts(csv: string): SpeciesCounts {
  const lines = csv.split(/\r?\n/).filter((line) => line.trim() !== "");
  const empty: SpeciesCounts = { steps: [], counts: new Map() };
  if (lines.length === 0) return empty;
  const header = lines[0].split(",").map((cell) => cell.trim());
  const stepColumn = header.indexOf("step");
  if (stepColumn < 0) return empty;
  const rows = lines.slice(1).map((line) => line.split(","));
  const keyColumn = header.findIndex((name) => name === "key" || name === "species");
  const countColumn = header.indexOf("count");
  if (keyColumn >= 0 && countColumn >= 0) {
    const steps = [...new Set(rows.map((row) => Number(row[stepColumn])))].filter(Number.isFinite).sort((a, b) => a - b);
    const index = new Map(steps.map((step, i) => [step, i]));
    const counts = new Map<string, number[]>();
    for (const row of rows) {
      const at = index.get(Number(row[stepColumn]));
      const key = row[keyColumn]?.trim();
      if (at === undefined || !key) continue;
      if (!counts.has(key)) counts.set(key, new Array<number>(steps.length).fill(0));
      counts.get(key)![at] = Number(row[countColumn]);
    }
    return { steps, counts };
  }
  const counts = new Map<string, number[]>();
  header.forEach((name, column) => {
    if (column !== stepColumn) counts.set(name, rows.map((row) => Number(row[column])));
  });
  return { steps: rows.map((row) => Number(row[stepColumn])), counts };
}
