// The run's trajectory.extxyz (docs/simulation.md, "Trajectory") read into frames the viewer draws: per frame the
// step, time, box side, and per atom its element, x, y (angstrom) and molecule id. One frame is an atom-count line,
// a comment line with `Lattice="a 0 0 0 b 0 0 0 c"`, `Properties=species:S:1:pos:R:3:...`, `Time=` and `step=`,
// then one line per atom with the columns Properties names. An unfinished last frame (the file is appended to
// while the run goes on) is left out. Bonds are not in the file: bondsOf() draws one between two atoms of the same
// molecule closer than BOND_DRAW_FACTOR times their bond rest length. Pure.

export const ELEMENTS = ["H", "C", "N", "O", "P", "S"] as const;
// Half of each element's homonuclear bond rest length, in angstrom (src/sim/elements.cpp's bond_radius in sigma
// times the length unit, 1.2635 angstrom).
const BOND_RADIUS_ANGSTROM = [0.4, 0.55, 0.52, 0.5, 0.6, 0.58].map((sigma) => sigma * 1.2634780657713909);
export const BOND_DRAW_FACTOR = 1.3;
export const UNKNOWN_ELEMENT = ELEMENTS.length;

export interface Frame {
  step: number;
  time: number;
  boxX: number;
  boxY: number;
  element: Uint8Array; // index into ELEMENTS, UNKNOWN_ELEMENT for any other symbol
  x: Float32Array;
  y: Float32Array;
  molecule: Int32Array;
}

export interface Trajectory {
  frames: Frame[];
  atoms: number; // of the first frame
}

export class TrajectoryFormatError extends Error {}

interface Columns {
  species: number;
  x: number;
  y: number;
  molecule: number; // -1: no mol_id column (every atom its own molecule)
  count: number;
}

// Properties=name:type:count:... → the column of species, pos (x, y) and mol_id.
function columnsOf(properties: string): Columns {
  const parts = properties.split(":");
  const columns: Columns = { species: -1, x: -1, y: -1, molecule: -1, count: 0 };
  for (let i = 0; i + 2 < parts.length; i += 3) {
    const [name, , countText] = parts.slice(i, i + 3);
    const count = Number(countText);
    if (!Number.isInteger(count) || count < 1) throw new TrajectoryFormatError(`bad Properties: ${properties}`);
    if (name === "species") columns.species = columns.count;
    if (name === "pos") {
      columns.x = columns.count;
      columns.y = columns.count + 1;
    }
    if (name === "mol_id") columns.molecule = columns.count;
    columns.count += count;
  }
  if (columns.species < 0 || columns.x < 0) throw new TrajectoryFormatError("Properties has no species or pos");
  return columns;
}

// key=value and key="value with spaces" pairs of a comment line.
function commentFields(line: string): Map<string, string> {
  const fields = new Map<string, string>();
  const pattern = /([A-Za-z_][\w-]*)=(?:"([^"]*)"|(\S+))/g;
  for (let match = pattern.exec(line); match; match = pattern.exec(line)) {
    fields.set(match[1], match[2] ?? match[3]);
  }
  return fields;
}

const ELEMENT_INDEX = new Map<string, number>(ELEMENTS.map((symbol, i) => [symbol, i]));

export function parseExtxyz(text: string): Trajectory {
  const frames: Frame[] = [];
  let at = 0;
  const nextLine = (): string | null => {
    if (at >= text.length) return null;
    let end = text.indexOf("\n", at);
    if (end < 0) return null; // no newline yet: the line is still being written
    const line = text.slice(at, end > at && text[end - 1] === "\r" ? end - 1 : end);
    at = end + 1;
    return line;
  };
  for (;;) {
    const countLine = nextLine();
    if (countLine === null || countLine.trim() === "") break;
    const atoms = Number(countLine.trim());
    if (!Number.isInteger(atoms) || atoms < 0) throw new TrajectoryFormatError(`frame ${frames.length + 1}: bad atom count`);
    const comment = nextLine();
    if (comment === null) break;
    const fields = commentFields(comment);
    const lattice = (fields.get("Lattice") ?? "").trim().split(/\s+/).map(Number);
    if (lattice.length !== 9 || lattice.some((v) => !Number.isFinite(v))) {
      throw new TrajectoryFormatError(`frame ${frames.length + 1}: no Lattice of nine numbers`);
    }
    const columns = columnsOf(fields.get("Properties") ?? "");
    const frame: Frame = {
      step: Number(fields.get("step") ?? frames.length),
      time: Number(fields.get("Time") ?? Number.NaN),
      boxX: lattice[0],
      boxY: lattice[4],
      element: new Uint8Array(atoms),
      x: new Float32Array(atoms),
      y: new Float32Array(atoms),
      molecule: new Int32Array(atoms),
    };
    let complete = true;
    for (let i = 0; i < atoms; i += 1) {
      const line = nextLine();
      if (line === null) {
        complete = false;
        break;
      }
      const cells = line.trim().split(/\s+/);
      if (cells.length < columns.count) throw new TrajectoryFormatError(`frame ${frames.length + 1}, atom ${i}: too few columns`);
      frame.element[i] = ELEMENT_INDEX.get(cells[columns.species]) ?? UNKNOWN_ELEMENT;
      frame.x[i] = Number(cells[columns.x]);
      frame.y[i] = Number(cells[columns.y]);
      frame.molecule[i] = columns.molecule >= 0 ? Number(cells[columns.molecule]) : i;
    }
    if (!complete) break;
    frames.push(frame);
  }
  return { frames, atoms: frames[0]?.element.length ?? 0 };
}

// Atom pairs (flat: a0, b0, a1, b1, ...) drawn as bonds: same molecule, and closer (across the periodic box's
// edges too) than BOND_DRAW_FACTOR times their rest length. A grid of cells as wide as the longest such bond keeps
// it linear in the number of atoms.
export function bondsOf(frame: Frame): Uint32Array {
  const n = frame.element.length;
  const maxRadius = Math.max(...BOND_RADIUS_ANGSTROM);
  const reach = 2 * maxRadius * BOND_DRAW_FACTOR;
  const cellsX = Math.max(1, Math.floor(frame.boxX / reach));
  const cellsY = Math.max(1, Math.floor(frame.boxY / reach));
  const cellOf = (x: number, y: number) => {
    const cx = Math.min(cellsX - 1, Math.max(0, Math.floor(((x % frame.boxX) + frame.boxX) % frame.boxX / (frame.boxX / cellsX))));
    const cy = Math.min(cellsY - 1, Math.max(0, Math.floor(((y % frame.boxY) + frame.boxY) % frame.boxY / (frame.boxY / cellsY))));
    return cy * cellsX + cx;
  };
  // Atoms sorted by cell (counting sort).
  const cell = new Int32Array(n);
  const start = new Int32Array(cellsX * cellsY + 1);
  for (let i = 0; i < n; i += 1) {
    cell[i] = cellOf(frame.x[i], frame.y[i]);
    start[cell[i] + 1] += 1;
  }
  for (let c = 0; c < cellsX * cellsY; c += 1) start[c + 1] += start[c];
  const order = new Int32Array(n);
  const fill = start.slice(0, cellsX * cellsY);
  for (let i = 0; i < n; i += 1) order[fill[cell[i]]++] = i;

  const pairs: number[] = [];
  const radius = (i: number) => BOND_RADIUS_ANGSTROM[frame.element[i]] ?? maxRadius;
  const wrap = (d: number, box: number) => d - box * Math.round(d / box);
  for (let i = 0; i < n; i += 1) {
    const cx = cell[i] % cellsX;
    const cy = Math.floor(cell[i] / cellsX);
    const seen: number[] = []; // a small box has fewer than three cells a side: visit each cell once
    for (let dy = -1; dy <= 1; dy += 1) {
      for (let dx = -1; dx <= 1; dx += 1) {
        const c = ((cy + dy + cellsY) % cellsY) * cellsX + ((cx + dx + cellsX) % cellsX);
        if (seen.includes(c)) continue;
        seen.push(c);
        for (let k = start[c]; k < start[c + 1]; k += 1) {
          const j = order[k];
          if (j <= i || frame.molecule[j] !== frame.molecule[i]) continue;
          const limit = (radius(i) + radius(j)) * BOND_DRAW_FACTOR;
          const ddx = wrap(frame.x[j] - frame.x[i], frame.boxX);
          const ddy = wrap(frame.y[j] - frame.y[i], frame.boxY);
          if (ddx * ddx + ddy * ddy <= limit * limit) pairs.push(i, j);
        }
      }
    }
  }
  return Uint32Array.from(pairs);
}

// The Hill formula of the atoms of one molecule (C, H first when there is carbon, then alphabetical).
export function formulaOf(frame: Frame, molecule: number): { formula: string; atoms: number } {
  const counts = new Map<string, number>();
  let atoms = 0;
  for (let i = 0; i < frame.element.length; i += 1) {
    if (frame.molecule[i] !== molecule) continue;
    atoms += 1;
    const symbol = ELEMENTS[frame.element[i]] ?? "X";
    counts.set(symbol, (counts.get(symbol) ?? 0) + 1);
  }
  const symbols = [...counts.keys()].sort();
  const ordered = counts.has("C") ? ["C", ...(counts.has("H") ? ["H"] : []), ...symbols.filter((s) => s !== "C" && s !== "H")] : symbols;
  const formula = ordered.map((s) => (counts.get(s) === 1 ? s : `${s}${counts.get(s)}`)).join("");
  return { formula, atoms };
}
