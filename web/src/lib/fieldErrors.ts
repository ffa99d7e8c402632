// Places a 422's details[].field paths on the form: each error goes to the most specific rendered input whose path
// equals it or encloses it ("...composition" encloses "...composition.X", "...energy_sources[1]" encloses
// "...energy_sources[1].radius"); errors no input claims are returned for the form-level summary. Pure.

export interface FieldDetail {
  field: string;
  message: string;
}

export interface PlacedErrors {
  byPath: Map<string, string[]>;
  unplaced: FieldDetail[];
}

function encloses(outer: string, inner: string): boolean {
  if (inner === outer) return true;
  if (!inner.startsWith(outer)) return false;
  const next = inner[outer.length];
  return next === "." || next === "[";
}

export function placeErrors(details: FieldDetail[], renderedPaths: string[]): PlacedErrors {
  const byPath = new Map<string, string[]>();
  const unplaced: FieldDetail[] = [];
  for (const detail of details) {
    let best: string | null = null;
    for (const path of renderedPaths) {
      if (encloses(path, detail.field) && (best === null || path.length > best.length)) best = path;
    }
    if (best === null) {
      unplaced.push(detail);
      continue;
    }
    const suffix = detail.field === best ? "" : `${detail.field.slice(best.length).replace(/^\./, "")}: `;
    byPath.set(best, [...(byPath.get(best) ?? []), suffix + detail.message]);
  }
  return { byPath, unplaced };
}

// A DOM id for an input from its API path.
export function inputId(path: string): string {
  return `field-${path.replace(/[^A-Za-z0-9_]+/g, "-")}`;
}
