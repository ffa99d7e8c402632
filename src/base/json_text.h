// json_text: the one JSON serializer of live2 for what people and tools read: the worker's artifacts
// (summary.json, molecules.json, reactions.json, progress.json, metadata.json, the params in results.h5) and the
// HTTP API's bodies, events and webhook payloads.
//
// Compact output with Boost.JSON's string escaping, except for doubles: each prints as the shortest decimal that
// reads back to exactly the same double (std::to_chars), the way people and most tools write numbers: 300.0 is
// `300`, 0.15 is `0.15`, 1e-7 is `1e-07` (Boost.JSON writes `3E2` and `1.5E-1`). Integers print as integers.
// A non-finite double, which JSON cannot express, prints as `null`. Pure function; thread-safe.
#pragma once

#include <boost/json/value.hpp>

#include <string>

namespace live2 {

std::string json_text(const boost::json::value& value);

// JSON text with object keys sorted at every level, so equal documents give equal text (job fingerprints, policy
// comparisons). Numbers are Boost.JSON's own serialisation: fingerprints stored by earlier versions stay valid.
std::string canonical_json(const boost::json::value& value);

}  // namespace live2
