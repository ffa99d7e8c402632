// The checkpoint container: "LIVE2CKP", a format version, the payload, then the SHA-256 of everything before it.
// seal() wraps a payload; open_sealed() verifies and unwraps one, naming the problem on failure. Thread safe.
#pragma once

#include <cstdint>
#include <string>

#include "base/result.h"

namespace live2::sim {

// 2: the Hamiltonian with bond depths and reversible reaction moves (issue 14). 3: the ledger keeps reactions by
// species keys, open breaks (recrossings) and the species counts of every analysis. 4: bond orders (issue 15). 5: bond
// transfers (the transfer count, open transfers beside open breaks; reactions by their species' positions in one key
// list, not as text). An older checkpoint is refused as "unsupported
// checkpoint version N"; the worker then starts the run over (docs/simulation.md, "Checkpoint").
inline constexpr uint32_t kCheckpointVersion = 5;

std::string seal_checkpoint(const std::string& payload);
// The payload, or `corrupt_payload` saying why not (truncated, wrong magic, unsupported version, checksum mismatch).
Result<std::string> open_checkpoint(const std::string& file_bytes);

}  // namespace live2::sim
