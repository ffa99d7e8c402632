// DashboardFiles: the built web dashboard (a single-page app) served at `/`: a path naming a file under the web
// directory gets that file, any other path gets index.html so the app's own routes work on reload. Without a
// built dashboard, `/` answers a short text page pointing to the API. Paths never leave the directory ('..' and
// symlinks out of it are refused). Thread-safe (no mutable state).
#pragma once

#include <filesystem>
#include <optional>
#include <string_view>

#include "api/http_message.h"

namespace live2::api {

class DashboardFiles {
 public:
  explicit DashboardFiles(std::optional<std::filesystem::path> web_dir);

  Response serve(std::string_view decoded_path) const;

 private:
  std::optional<std::filesystem::path> web_dir_;  // canonical; nullopt when there is no usable index.html
};

std::string_view content_type_for_web_file(const std::filesystem::path& file);

}  // namespace live2::api
