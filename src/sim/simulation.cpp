#include "simulation.h"

#include <algorithm>
#include <cmath>
#include <istream>
#include <iterator>
#include <ostream>

#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include "byte_stream.h"
#include "checkpoint_format.h"
#include "chemistry_ledger.h"
#include "engine.h"
#include "initial_state.h"
#include "molecule_graph.h"
#include "reaction_rules.h"

namespace live2::sim {
namespace {

// Starting grids can overlap molecules at high density; relax until no atom feels more than this force.
constexpr double kRelaxedMaxForce = 200.0;
constexpr int kMaxRelaxIterations = 5000;
constexpr double kSkin = 0.3;

EngineSettings engine_settings(const SimulationConfig& config, int threads) {
  EngineSettings s;
  s.box_size = config.box_size();
  s.dt = config.dt();
  s.chemistry_scale = config.chemistry_scale;
  s.friction = config.thermostat ? config.friction : 0.0;  // friction 0: BAOAB is velocity Verlet
  s.skin = kSkin;
  s.seed = config.seed;
  s.threads = std::max(1, threads);
  return s;
}

std::string config_fingerprint(const SimulationConfig& config) {
  return boost::json::serialize(resolved_params_json(config));
}

Engine fresh_engine(const SimulationConfig& config, int threads, InitialState& initial) {
  Engine engine(engine_settings(config, threads), std::move(initial.particles), std::move(initial.bonds));
  engine.relax_overlaps(kRelaxedMaxForce, kMaxRelaxIterations);
  return engine;
}

// Names the parameters that set how far atoms move per step: dt, and the hottest bath temperature (the run's own or an
// energy source's).
Instability instability_at(int64_t step, const SimulationConfig& config) {
  double hottest_source = 0.0;
  for (const EnergySource& source : config.energy_sources) hottest_source = std::max(hottest_source, source.temperature);
  const std::string temperature =
      hottest_source > config.temperature
          ? fmt::format("the energy sources' temperature (hottest {:g} K)", hottest_source)
          : fmt::format("temperature (now {:g} K)", config.temperature);
  return {step, fmt::format("unstable at step {}: atoms moved more than {:g} sigma in one step; lower dt_fs (now {:g}) "
                            "or {}",
                            step, Engine::kMaxStepDisplacement, config.dt_fs, temperature)};
}

// Molecules numbered in the order of their lowest atom id (Snapshot::molecule_ids).
std::vector<uint32_t> molecule_ids(const BondGraph& bonds) {
  constexpr uint32_t kUnassigned = UINT32_MAX;
  std::vector<uint32_t> ids(bonds.atoms(), kUnassigned);
  ComponentWalker walker(bonds.atoms());
  uint32_t next = 0;
  for (uint32_t atom = 0; atom < bonds.atoms(); ++atom) {
    if (ids[atom] != kUnassigned) continue;
    for (uint32_t member : walker.component(bonds, atom)) ids[member] = next;
    ++next;
  }
  return ids;
}

}  // namespace

class SimulationState {
 public:
  SimulationState(const SimulationConfig& config, int threads, InitialState initial)
      : config(config),
        bath(config.bath_kT(), config.energy_sources, config.box_size()),
        engine(fresh_engine(config, threads, initial)),
        ledger(std::move(initial.element_of_atom)),
        reaction(reaction_settings(config)),
        reach(reaction_reach(engine.force_field(), reaction)) {}

  SimulationState(const SimulationConfig& config, Engine engine, ChemistryLedger ledger,
                  std::vector<MetricsRow> history)
      : config(config),
        bath(config.bath_kT(), config.energy_sources, config.box_size()),
        engine(std::move(engine)),
        ledger(std::move(ledger)),
        reaction(reaction_settings(config)),
        reach(reaction_reach(this->engine.force_field(), reaction)),  // the member: the parameter was moved from
        history(std::move(history)) {}

  SimulationConfig config;
  HeatBath bath;
  Engine engine;
  ChemistryLedger ledger;
  ReactionSettings reaction;
  ReachMarks reach;  // marked by the force pass of each step a sweep follows
  std::vector<MetricsRow> history;
};

Simulation::Simulation(const SimulationConfig& config, int threads)
    : state_(std::make_unique<SimulationState>(config, threads, build_initial_state(config))) {}

Simulation::Simulation(std::unique_ptr<SimulationState> state) : state_(std::move(state)) {}
Simulation::~Simulation() = default;

int64_t Simulation::current_step() const { return state_->engine.step_index(); }
double Simulation::current_time() const { return state_->engine.time(); }
double Simulation::box_size() const { return state_->engine.settings().box_size; }
const SimulationConfig& Simulation::config() const { return state_->config; }

std::optional<Instability> Simulation::advance(int64_t steps) {
  SimulationState& s = *state_;
  for (int64_t k = 0; k < steps; ++k) {
    const bool sweep_follows = sweep_due(s.reaction, s.engine.step_index() + 1);
    if (!s.engine.step(s.bath, sweep_follows ? &s.reach : nullptr)) {
      return instability_at(s.engine.step_index(), s.config);
    }
    if (!sweep_follows) continue;
    const int64_t step = s.engine.step_index();
    s.ledger.track(s.engine.bonds());
    run_reaction_sweep(
        s.engine, s.bath, s.ledger.element_of_atom(), s.reaction,
        [&](const ReactionEvent& event) { s.ledger.record(event, s.engine.bonds(), step); }, &s.reach);
  }
  return std::nullopt;
}

MetricsRow Simulation::analyze() {
  SimulationState& s = *state_;
  const double atoms = static_cast<double>(s.engine.particles().size());
  const double kinetic = s.engine.kinetic_energy();
  const PotentialEnergy potential = s.engine.potential_energy();
  const double box = s.engine.settings().box_size;
  const int64_t formed = s.ledger.bonds_formed_since_census();
  const int64_t broken = s.ledger.bonds_broken_since_census();
  const MoleculeCensus census = s.ledger.take_census(s.engine.bonds(), s.engine.step_index());
  const MetricsRow row{s.engine.step_index(),
                       s.engine.time(),
                       300.0 * kinetic / atoms,  // 2-D, k_B = 1: kT = KE / N; kelvin = 300 kT
                       kinetic,
                       potential.total(),
                       virial_pressure(kinetic, potential.virial, box * box),
                       s.engine.bonds().bond_count(),
                       census.n_molecules,
                       census.n_species,
                       census.new_species,
                       census.largest_molecule,
                       formed,
                       broken};
  s.history.push_back(row);
  return row;
}

Snapshot Simulation::snapshot() const {
  const SimulationState& s = *state_;
  const ParticleArrays& p = s.engine.particles();
  const double box = box_size();
  Snapshot snap{current_step(), current_time(), {}, {}, {}, {}, {}, {}};
  snap.positions.resize(2 * p.size());
  snap.velocities.resize(2 * p.size());
  snap.types.resize(p.size());
  for (size_t slot = 0; slot < p.size(); ++slot) {
    const uint32_t id = p.id[slot];
    snap.positions[2 * id] = static_cast<float>(p.x[slot] - box * std::floor(p.x[slot] / box));
    snap.positions[2 * id + 1] = static_cast<float>(p.y[slot] - box * std::floor(p.y[slot] / box));
    snap.velocities[2 * id] = static_cast<float>(p.vx[slot]);
    snap.velocities[2 * id + 1] = static_cast<float>(p.vy[slot]);
    snap.types[id] = p.type[slot];
  }
  for (const auto& [a, b] : s.engine.bonds().sorted_bonds()) {
    snap.bonds.push_back(a);
    snap.bonds.push_back(b);
    snap.bond_orders.push_back(static_cast<uint8_t>(s.engine.bonds().order(a, b)));
  }
  snap.molecule_ids = molecule_ids(s.engine.bonds());
  return snap;
}

const std::vector<MetricsRow>& Simulation::metrics_history() const { return state_->history; }
std::vector<SpeciesRecord> Simulation::species() const { return state_->ledger.species(); }
std::vector<ReactionRecord> Simulation::reactions() const { return state_->ledger.reactions(); }
int64_t Simulation::bond_order_changes() const { return state_->ledger.bond_order_changes(); }
int64_t Simulation::bond_transfers() const { return state_->ledger.bond_transfers(); }

std::vector<SpeciesCountRecord> Simulation::species_counts() const {
  std::vector<SpeciesCountRecord> rows = state_->ledger.species_counts();
  for (SpeciesCountRecord& row : rows) row.time = static_cast<double>(row.step) * state_->config.dt();
  return rows;
}

void Simulation::save_checkpoint(std::ostream& out) const {
  const SimulationState& s = *state_;
  const ParticleArrays& p = s.engine.particles();
  ByteWriter w;
  w.put_string(config_fingerprint(s.config));
  w.put<int64_t>(s.engine.step_index());
  for (const auto* v : {&p.x, &p.y, &p.vx, &p.vy, &p.fx, &p.fy}) w.put_vector(*v);
  w.put_vector(p.type);
  w.put_vector(p.id);
  w.put_vector(s.engine.bonds().raw_partners());
  w.put_vector(s.engine.bonds().raw_degrees());
  w.put_vector(s.engine.bonds().raw_orders());
  w.put_vector(s.engine.neighbors().reference_x());
  w.put_vector(s.engine.neighbors().reference_y());
  w.put<int64_t>(s.engine.neighbors().rebuilds());
  s.ledger.save(w);
  w.put<uint64_t>(s.history.size());
  for (const MetricsRow& r : s.history) {
    w.put(r.step);
    for (double v : {r.time, r.temperature, r.kinetic_energy, r.potential_energy, r.pressure}) w.put(v);
    for (int64_t v : {r.n_bonds, r.n_molecules, r.n_species, r.new_species, r.largest_molecule, r.bonds_formed,
                      r.bonds_broken}) {
      w.put(v);
    }
  }
  const std::string file = seal_checkpoint(w.bytes());
  out.write(file.data(), static_cast<std::streamsize>(file.size()));
}

Result<std::unique_ptr<Simulation>> Simulation::load_checkpoint(std::istream& in, const SimulationConfig& config,
                                                               int threads) {
  const std::string file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto opened = open_checkpoint(file);
  if (!opened.ok()) return opened.error();
  const std::string& payload = *opened;
  ByteReader r(payload.data(), payload.size());
  if (r.get_string() != config_fingerprint(config)) {
    return Error::make(ErrorCode::invalid_input, "checkpoint was written for different parameters");
  }
  const auto step = r.get<int64_t>();
  ParticleArrays p;
  p.x = r.get_vector<double>();
  p.y = r.get_vector<double>();
  p.vx = r.get_vector<double>();
  p.vy = r.get_vector<double>();
  p.fx = r.get_vector<double>();
  p.fy = r.get_vector<double>();
  p.type = r.get_vector<uint8_t>();
  p.id = r.get_vector<uint32_t>();
  auto partners = r.get_vector<uint32_t>();
  auto degrees = r.get_vector<uint8_t>();
  auto orders = r.get_vector<uint8_t>();
  auto ref_x = r.get_vector<double>();
  auto ref_y = r.get_vector<double>();
  const auto rebuilds = r.get<int64_t>();

  const auto n = static_cast<size_t>(config.num_particles);
  bool consistent = r.ok() && p.x.size() == n && p.y.size() == n && p.vx.size() == n && p.vy.size() == n && p.fx.size() == n && p.fy.size() == n &&
                    p.type.size() == n && p.id.size() == n && ref_x.size() == n && ref_y.size() == n;
  std::vector<Element> element_of_atom(n);
  p.slot_of_id.assign(n, UINT32_MAX);
  for (size_t slot = 0; consistent && slot < n; ++slot) {
    consistent = p.id[slot] < n && p.slot_of_id[p.id[slot]] == UINT32_MAX && p.type[slot] < kElementCount;
    if (!consistent) break;
    p.slot_of_id[p.id[slot]] = static_cast<uint32_t>(slot);
    element_of_atom[p.id[slot]] = static_cast<Element>(p.type[slot]);
  }
  std::optional<BondGraph> bonds = BondGraph::from_raw(std::move(partners), std::move(degrees), std::move(orders));
  if (!consistent || !bonds || bonds->atoms() != n) {
    return Error::make(ErrorCode::corrupt_payload, "checkpoint particle or bond data is inconsistent");
  }
  p.inv_mass.resize(n);
  for (size_t slot = 0; slot < n; ++slot) p.inv_mass[slot] = 1.0 / element_mass(static_cast<Element>(p.type[slot]));

  ChemistryLedger ledger(std::move(element_of_atom));
  if (!ledger.load(r)) return Error::make(ErrorCode::corrupt_payload, "checkpoint chemistry tables are malformed");
  const auto rows = r.get<uint64_t>();
  constexpr size_t kRowBytes = 13 * 8;
  if (!r.ok() || rows > r.remaining() / kRowBytes) {
    return Error::make(ErrorCode::corrupt_payload, "checkpoint metrics history is malformed");
  }
  std::vector<MetricsRow> history(rows);
  for (MetricsRow& row : history) {
    row.step = r.get<int64_t>();
    for (double* v : {&row.time, &row.temperature, &row.kinetic_energy, &row.potential_energy, &row.pressure}) {
      *v = r.get<double>();
    }
    for (int64_t* v : {&row.n_bonds, &row.n_molecules, &row.n_species, &row.new_species, &row.largest_molecule,
                       &row.bonds_formed, &row.bonds_broken}) {
      *v = r.get<int64_t>();
    }
  }
  if (!r.ok() || !r.at_end()) return Error::make(ErrorCode::corrupt_payload, "checkpoint has trailing or missing data");

  Engine engine(engine_settings(config, threads), std::move(p), std::move(*bonds), std::move(ref_x), std::move(ref_y),
                rebuilds, step);
  auto state = std::make_unique<SimulationState>(config, std::move(engine), std::move(ledger), std::move(history));
  return std::unique_ptr<Simulation>(new Simulation(std::move(state)));
}

}  // namespace live2::sim
