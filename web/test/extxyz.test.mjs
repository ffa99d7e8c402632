import { test } from "node:test";
import assert from "node:assert/strict";
import { ELEMENTS, bondsOf, formulaOf, parseExtxyz } from "../.test-build/lib/extxyz.js";

// Frames exactly as the worker writes them (src/worker/trajectory_file.cpp): atom count, the comment line, then
// "<symbol> <x> <y> 0 <vx> <vy> 0 <molecule id>" per atom.
const comment = (step, time) =>
  `Lattice="20 0 0 0 20 0 0 0 1.26347807" Properties=species:S:1:pos:R:3:vel:R:3:mol_id:I:1 Time=${time} ` +
  `step=${step} pbc="T T F" time_unit=ps length_unit=angstrom velocity_unit=angstrom/ps`;
const frame = (step, time, shift) =>
  [
    "5",
    comment(step, time),
    `O ${5 + shift} 5 0 0.1 -0.2 0 0`,
    `H ${5.8 + shift} 5 0 0 0 0 0`,
    `H ${4.4 + shift} 5.5 0 0 0 0 0`,
    "C 0.2 12 0 0 0 0 1",
    "N 19.7 12 0 0 0 0 1",
  ].join("\n") + "\n";
const fixture = frame(0, 0, 0) + frame(150, 0.75, 1) + "5\n" + comment(300, 1.5) + "\nO 1 2 0 0 0 0 0\nH 1.5";

test("frames: step, time, box, elements, positions and molecules; an unfinished last frame is left out", () => {
  const { frames, atoms } = parseExtxyz(fixture);
  assert.equal(frames.length, 2);
  assert.equal(atoms, 5);
  const [first, second] = frames;
  assert.deepEqual([first.step, first.time, first.boxX, first.boxY], [0, 0, 20, 20]);
  assert.deepEqual([second.step, second.time], [150, 0.75]);
  assert.deepEqual([...first.element].map((e) => ELEMENTS[e]), ["O", "H", "H", "C", "N"]);
  assert.deepEqual([...first.molecule], [0, 0, 0, 1, 1]);
  assert.equal(second.x[0], 6);
  assert.ok(Math.abs(first.y[2] - 5.5) < 1e-6);
});

test("bonds within a molecule and across the periodic edge, none between molecules or past the rest length", () => {
  const [first] = parseExtxyz(fixture).frames;
  const pairs = [...bondsOf(first)];
  const bonds = [];
  for (let i = 0; i < pairs.length; i += 2) bonds.push(`${pairs[i]}-${pairs[i + 1]}`);
  // O-H twice (0.8 and 0.78 angstrom); H...H is 1.49 (past 1.3 x 1.01); C-N is 0.5 across x = 0.
  assert.deepEqual(bonds.sort(), ["0-1", "0-2", "3-4"]);
});

test("the molecule under the pointer is named by its Hill formula", () => {
  const [first] = parseExtxyz(fixture).frames;
  assert.deepEqual(formulaOf(first, 0), { formula: "H2O", atoms: 3 });
  assert.deepEqual(formulaOf(first, 1), { formula: "CN", atoms: 2 });
});

test("CRLF lines, a file without frames, and broken frames", () => {
  assert.equal(parseExtxyz(frame(0, 0, 0).replace(/\n/g, "\r\n")).frames.length, 1);
  assert.equal(parseExtxyz("").frames.length, 0);
  assert.throws(() => parseExtxyz("x\ncomment\n"), /bad atom count/);
  assert.throws(() => parseExtxyz("1\nProperties=species:S:1:pos:R:3\nH 0 0 0\n"), /Lattice/);
  assert.throws(() => parseExtxyz('1\nLattice="1 0 0 0 1 0 0 0 1" Properties=pos:R:3\nH 0 0 0\n'), /species/);
});
