// The secrets `live2 serve` keeps across restarts: the HMAC key of signed artifact download URLs and the HMAC key
// of webhook signatures. Generated once (256 random bits each) into `{data_dir}/secrets.json` with mode 0600, then
// read back on every start, so URLs and receivers' verification keep working after a restart.
#pragma once

#include <filesystem>
#include <string>

#include "base/random_source.h"
#include "base/result.h"

namespace live2::app {

struct ServeSecrets {
  std::string url_signing_secret;
  std::string webhook_secret;
};

// Errors: `secrets_unreadable` when the file exists but cannot be read or parsed, `secrets_unwritable`.
Result<ServeSecrets> load_or_create_secrets(const std::filesystem::path& file, RandomSource& random);

}  // namespace live2::app
