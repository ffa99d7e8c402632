// A synthetic trajectory.extxyz in the worker's format (docs/simulation.md, "Trajectory"; the same comment line and
// columns as src/worker/trajectory_file.cpp): `atoms` atoms in molecules of three (O with two H at bond length,
// the viewer draws their bonds) at density 0.4 per sigma^2, drifting a little from frame to frame. Deterministic.

const SIGMA_ANGSTROM = 1.2634780657713909;

export function syntheticTrajectory({ atoms, frames }) {
  const molecules = Math.ceil(atoms / 3);
  const side = Math.sqrt(atoms / 0.4) * SIGMA_ANGSTROM;
  let seed = 12345;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const centres = Array.from({ length: molecules }, () => [random() * side, random() * side]);
  const chunks = [];
  for (let f = 0; f < frames; f += 1) {
    const lines = [
      String(atoms),
      `Lattice="${side} 0 0 0 ${side} 0 0 0 ${SIGMA_ANGSTROM}" Properties=species:S:1:pos:R:3:vel:R:3:mol_id:I:1 ` +
        `Time=${f * 0.75} step=${f * 150} pbc="T T F" time_unit=ps length_unit=angstrom velocity_unit=angstrom/ps`,
    ];
    for (let i = 0; i < atoms; i += 1) {
      const m = Math.floor(i / 3);
      const [cx, cy] = centres[m];
      const drift = f * 0.3;
      const offsets = [[0, 0], [1.0, 0], [-0.3, 0.95]][i % 3];
      const x = (((cx + drift + offsets[0]) % side) + side) % side;
      const y = (((cy + drift * 0.5 + offsets[1]) % side) + side) % side;
      lines.push(`${["O", "H", "H"][i % 3]} ${x.toFixed(5)} ${y.toFixed(5)} 0 0.1 -0.1 0 ${m}`);
    }
    chunks.push(lines.join("\n") + "\n");
  }
  return chunks.join("");
}
