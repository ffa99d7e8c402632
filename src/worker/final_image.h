// final.png: the last snapshot drawn with cairo. The periodic box fills a square panel; atoms are discs
// coloured by element (CPK-like colours), bonds are lines between bonded atoms (a bond that crosses the
// periodic boundary is drawn as two half-bonds, one at each side); a legend panel lists each element present
// with its colour and count, and the step, atom and bond counts.
#pragma once

#include <filesystem>

#include "sim/simulation.h"
#include "worker/output_status.h"

namespace live2::worker {

inline constexpr int kFinalImageBoxPixels = 1000;

// Writes the PNG to `png` (atomically). `box_size` is the side of the periodic box in sigma.
OutputStatus render_final_image(const sim::Snapshot& snapshot, double box_size, const std::filesystem::path& png);

}  // namespace live2::worker
