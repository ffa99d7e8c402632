// DashboardFiles: the built web dashboard (a single-page app) served at `/`: a path naming a file under the web
// directory gets that file, any other path gets index.html so the app's own routes work on reload. Without a
// built dashboard, `/` answers a short text page pointing to the API. Paths never leave the directory ('..' and
// symlinks out of it are refused). Every file goes out with the dashboard's Content-Security-Policy and
// `Referrer-Policy: no-referrer`. Thread-safe (no mutable state).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "api/http_message.h"

namespace live2::api {

class DashboardFiles {
 public:
  // `artifact_origin`: where artifact download URLs point (ArtifactStore::download_origin), for the final picture.
  DashboardFiles(std::optional<std::filesystem::path> web_dir, std::string_view artifact_origin);

  Response serve(std::string_view decoded_path) const;

 private:
  std::optional<std::filesystem::path> web_dir_;  // canonical; nullopt when there is no usable index.html
  std::string content_security_policy_;
};

// The dashboard's policy: scripts, styles and API calls from its own origin only (no inline script or style, no
// eval), images also from data: URLs and `artifact_origin`, nothing else (default-src 'none'); no <base>, forms
// post only to itself, and no page may frame it.
std::string dashboard_content_security_policy(std::string_view artifact_origin);

}  // namespace live2::api
