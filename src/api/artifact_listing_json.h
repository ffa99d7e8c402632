// A job's artifact listing as the JSON of GET /api/v1/jobs/{id}/artifacts and of the `artifacts` event on its
// /events stream: {"job_id", "expires_in", "artifacts": [{key, name, size, last_modified, content_type, url}]}.
// Pure; thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <string_view>

#include "artifacts/artifact_store.h"

namespace live2::api {

boost::json::object artifact_listing_to_json(std::string_view job_id, const ArtifactListing& listing);

}  // namespace live2::api
