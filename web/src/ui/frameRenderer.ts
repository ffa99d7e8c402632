// Draws one trajectory frame into an RGBA pixel buffer (the viewer puts it on its canvas with putImageData):
// bonds as 1-pixel lines, atoms as discs coloured by element, the atoms of one molecule ringed. Writing pixels
// directly keeps a 10,000-atom frame to a few milliseconds in a browser without a GPU, where thousands of canvas
// arc() calls are not. Bonds that cross the periodic box's edge are not drawn. Pure but for the buffer it owns.

import { ELEMENTS, Frame } from "../lib/extxyz";

// CPK-like colours on a dark background, as 0xAABBGGRR (the byte order of a little-endian Uint32 over RGBA).
const rgba = (hex: string) => {
  const value = Number.parseInt(hex.slice(1), 16);
  return (0xff << 24) | ((value & 0xff) << 16) | (value & 0xff00) | ((value >> 16) & 0xff);
};
export const ELEMENT_COLORS: Record<(typeof ELEMENTS)[number] | "other", string> = {
  H: "#f2f2f2",
  C: "#8c8c8c",
  N: "#4f6bff",
  O: "#ff3b30",
  P: "#ff9f1a",
  S: "#f5d327",
  other: "#e040fb",
};
const PALETTE = [...ELEMENTS.map((e) => rgba(ELEMENT_COLORS[e])), rgba(ELEMENT_COLORS.other)];
const BACKGROUND = rgba("#14181d");
const BOND = rgba("#6b7785");
const HIGHLIGHT = rgba("#ffe14d");
// An atom's disc: half a bond length of hydrogen, in angstrom.
const ATOM_RADIUS_ANGSTROM = 0.6;

function discOffsets(radius: number, width: number): Int32Array {
  const offsets: number[] = [];
  const r = Math.ceil(radius);
  for (let dy = -r; dy <= r; dy += 1) {
    for (let dx = -r; dx <= r; dx += 1) if (dx * dx + dy * dy <= radius * radius) offsets.push(dy * width + dx, dx, dy);
  }
  return Int32Array.from(offsets);
}

export class FrameRenderer {
  readonly image: ImageData;
  private readonly pixels: Uint32Array;
  private discKey = "";
  private atomDisc: Int32Array = new Int32Array(0);
  private ringDisc: Int32Array = new Int32Array(0);

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.image = new ImageData(width, height);
    this.pixels = new Uint32Array(this.image.data.buffer);
  }

  // Pixels per angstrom for a frame's box, and the box's offset to centre it.
  layout(frame: Frame): { scale: number; left: number; top: number } {
    const scale = Math.min(this.width / frame.boxX, this.height / frame.boxY);
    return { scale, left: (this.width - frame.boxX * scale) / 2, top: (this.height - frame.boxY * scale) / 2 };
  }

  draw(frame: Frame, bonds: Uint32Array, highlightMolecule: number | null): ImageData {
    const { width, pixels } = this;
    const { scale, left, top } = this.layout(frame);
    pixels.fill(BACKGROUND);
    const radius = Math.max(1, ATOM_RADIUS_ANGSTROM * scale);
    const key = `${radius}|${width}`;
    if (key !== this.discKey) {
      this.atomDisc = discOffsets(radius, width);
      this.ringDisc = discOffsets(radius + Math.max(1.5, radius * 0.6), width);
      this.discKey = key;
    }
    // y grows upwards in the box, downwards on the screen.
    const px = (i: number) => left + frame.x[i] * scale;
    const py = (i: number) => top + (frame.boxY - frame.y[i]) * scale;

    for (let b = 0; b + 1 < bonds.length; b += 2) {
      const i = bonds[b];
      const j = bonds[b + 1];
      if (Math.abs(frame.x[i] - frame.x[j]) > frame.boxX / 2 || Math.abs(frame.y[i] - frame.y[j]) > frame.boxY / 2) continue;
      this.line(px(i), py(i), px(j), py(j), BOND);
    }
    const n = frame.element.length;
    if (highlightMolecule !== null) {
      for (let i = 0; i < n; i += 1) if (frame.molecule[i] === highlightMolecule) this.stamp(px(i), py(i), this.ringDisc, HIGHLIGHT);
    }
    for (let i = 0; i < n; i += 1) this.stamp(px(i), py(i), this.atomDisc, PALETTE[frame.element[i]] ?? PALETTE[PALETTE.length - 1]);
    return this.image;
  }

  // The atom under a point in pixels (the nearest within two atom radii), or null.
  atomAt(frame: Frame, x: number, y: number): number | null {
    const { scale, left, top } = this.layout(frame);
    const bx = (x - left) / scale;
    const by = frame.boxY - (y - top) / scale;
    const reach = 2 * Math.max(ATOM_RADIUS_ANGSTROM, 1 / scale);
    let best: number | null = null;
    let bestDistance = reach * reach;
    for (let i = 0; i < frame.element.length; i += 1) {
      const dx = frame.x[i] - bx;
      const dy = frame.y[i] - by;
      const d = dx * dx + dy * dy;
      if (d <= bestDistance) {
        bestDistance = d;
        best = i;
      }
    }
    return best;
  }

  private stamp(x: number, y: number, disc: Int32Array, color: number) {
    const cx = Math.round(x);
    const cy = Math.round(y);
    const { width, height, pixels } = this;
    const base = cy * width + cx;
    for (let k = 0; k < disc.length; k += 3) {
      const tx = cx + disc[k + 1];
      const ty = cy + disc[k + 2];
      if (tx >= 0 && tx < width && ty >= 0 && ty < height) pixels[base + disc[k]] = color;
    }
  }

  private line(x0: number, y0: number, x1: number, y1: number, color: number) {
    const steps = Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0), 1);
    const sx = (x1 - x0) / steps;
    const sy = (y1 - y0) / steps;
    const { width, height, pixels } = this;
    for (let s = 0; s <= steps; s += 1) {
      const x = Math.round(x0 + sx * s);
      const y = Math.round(y0 + sy * s);
      if (x >= 0 && x < width && y >= 0 && y < height) pixels[y * width + x] = color;
    }
  }
}
