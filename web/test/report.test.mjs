import { test } from "node:test";
import assert from "node:assert/strict";
import {
  firstAppearances,
  parseMolecules,
  parseSpeciesCounts,
  parseSummary,
  selectSpecies,
} from "../.test-build/lib/report.js";

const molecules = parseMolecules([
  { key: "H2O#aa", formula: "H2O", atoms: 3, first_seen_step: 0, final_count: 32, max_count: 34 },
  { key: "CH4#bb", formula: "CH4", atoms: 5, first_seen_step: 0, final_count: 8, max_count: 18 },
  { key: "CH3#cc", formula: "CH3", atoms: 4, first_seen_step: 100, final_count: 5, max_count: 9 },
  { key: "H2N#dd", formula: "H2N", atoms: 3, first_seen_step: 200 }, // counts missing
  { formula: "no key" },
]);

test("molecules.json: entries without a key are dropped, missing numbers are null", () => {
  assert.equal(molecules.length, 4);
  assert.equal(molecules[3].finalCount, null);
  assert.deepEqual(parseMolecules({ species: [{ key: "H2#x" }] }).map((s) => s.formula), ["H2"]);
  assert.deepEqual(parseMolecules("nonsense"), []);
});

test("species search matches formula or key, case-insensitively", () => {
  const found = (text) => selectSpecies(molecules, text, { column: "key", descending: false }).map((s) => s.key);
  assert.deepEqual(found("ch"), ["CH3#cc", "CH4#bb"]);
  assert.deepEqual(found("#AA"), ["H2O#aa"]);
  assert.deepEqual(found("  "), ["CH3#cc", "CH4#bb", "H2N#dd", "H2O#aa"]);
});

test("species sort by a number puts missing values last either way", () => {
  const by = (descending) =>
    selectSpecies(molecules, "", { column: "finalCount", descending }).map((s) => s.formula);
  assert.deepEqual(by(true), ["H2O", "CH4", "CH3", "H2N"]);
  assert.deepEqual(by(false), ["CH3", "CH4", "H2O", "H2N"]);
});

test("first appearances group species by step, earliest first", () => {
  assert.deepEqual(
    firstAppearances(molecules).map((g) => [g.step, g.species.map((s) => s.formula)]),
    [[0, ["CH4", "H2O"]], [100, ["CH3"]], [200, ["H2N"]]],
  );
});

test("summary.json: counts and top lists", () => {
  const summary = parseSummary({
    species_count: 10,
    reaction_count: 16,
    runtime_seconds: 1.4,
    top_species: [{ key: "H2O#aa", formula: "H2O", final_count: 32 }],
    top_reactions: [
      { equation: "CH4 -> CH3 + H", count: 71, first_step: 20 },
      { equation: "CH4#a -> CH3#b + H#c", formula_equation: "CH4 -> CH3 + H", count: 46, recrossings: 25, first_step: 20 },
      { count: 3 },
    ],
  });
  assert.equal(summary.speciesCount, 10);
  assert.equal(summary.topSpecies[0].finalCount, 32);
  assert.deepEqual(summary.topReactions, [
    { equation: "CH4 -> CH3 + H", formulaEquation: "CH4 -> CH3 + H", count: 71, recrossings: null, firstStep: 20 },
    { equation: "CH4#a -> CH3#b + H#c", formulaEquation: "CH4 -> CH3 + H", count: 46, recrossings: 25, firstStep: 20 },
  ]);
  assert.deepEqual(parseSummary(null).topReactions, []);
});

test("species_counts.csv in wide and long form", () => {
  const wide = parseSpeciesCounts("step,H2O#aa,CH4#bb\r\n0,30,18\n100,31,12\n");
  assert.deepEqual(wide.steps, [0, 100]);
  assert.deepEqual(wide.counts.get("CH4#bb"), [18, 12]);
  const long = parseSpeciesCounts("step,key,count\n0,H2O#aa,30\n0,CH4#bb,18\n100,H2O#aa,31\n");
  assert.deepEqual(long.steps, [0, 100]);
  assert.deepEqual(long.counts.get("CH4#bb"), [18, 0]);
  assert.deepEqual(parseSpeciesCounts("no,step,column\n").steps, []);
  assert.equal(parseSpeciesCounts("").counts.size, 0);
});
