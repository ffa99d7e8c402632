// The reaction network of a finished run, keyed by species keys (isomers apart): reaction_network.json and
// reaction_network.graphml (format: docs/simulation.md, "Reaction network"). Each reaction has its count, its
// recrossings (counted apart), the first time it was counted and its rate per ps with an exact 95 % Poisson
// confidence interval over the run's duration. Pure functions from data to file content; thread safe.
#pragma once

#include <boost/json/object.hpp>

#include <string>
#include <vector>

#include "sim/simulation.h"

namespace live2::worker {

struct NetworkInput {
  std::vector<sim::SpeciesRecord> species;
  std::vector<sim::ReactionRecord> reactions;
  int64_t steps = 0;
  double dt = 0;  // model time units per step
};

struct RateEstimate {
  double rate, low, high;  // per ps; [low, high] the exact (Garwood) 95 % interval of a Poisson count
};
RateEstimate reaction_rate_per_ps(int64_t count, double duration_ps);

boost::json::object reaction_network_json(const NetworkInput& input);
std::string reaction_network_graphml(const NetworkInput& input);

}  // namespace live2::worker
