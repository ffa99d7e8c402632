#include "api/artifact_listing_json.h"

#include <boost/json.hpp>

#include "base/time_format.h"

namespace live2::api {

boost::json::object artifact_listing_to_json(std::string_view job_id, const ArtifactListing& listing) {
  boost::json::array artifacts;
  for (const Artifact& artifact : listing.artifacts) {
    artifacts.push_back(boost::json::object{{"key", artifact.key},
                                            {"name", artifact.name},
                                            {"size", artifact.size},
                                            {"last_modified", format_iso8601_ms(artifact.last_modified_ms)},
                                            {"content_type", artifact.content_type},
                                            {"url", artifact.url}});
  }
  return boost::json::object{{"job_id", job_id}, {"expires_in", listing.expires_in_s}, {"artifacts", std::move(artifacts)}};
}

}  // namespace live2::api
