#include "serve_secrets.h"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <boost/json.hpp>
#include <fstream>
#include <sstream>

namespace live2::app {
namespace {

namespace json = boost::json;

std::string random_hex(RandomSource& random) {
  std::array<uint8_t, 32> bytes{};
  random.fill(bytes.data(), bytes.size());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (uint8_t byte : bytes) {
    out.push_back(kHex[byte >> 4]);
    out.push_back(kHex[byte & 0x0f]);
  }
  return out;
}

Result<ServeSecrets> read_secrets(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  boost::system::error_code error;
  json::value value = json::parse(text.str(), error);
  const json::object* object = error ? nullptr : value.if_object();
  const json::value* signing = object ? object->if_contains("url_signing_secret") : nullptr;
  const json::value* webhook = object ? object->if_contains("webhook_secret") : nullptr;
  if (!in || !signing || !webhook || !signing->is_string() || !webhook->is_string()) {
    return Error::make(ErrorCode::secrets_unreadable,
                       file.string() + " is not a live2 secrets file; move it away to start over");
  }
  return ServeSecrets{std::string(signing->get_string()), std::string(webhook->get_string())};
}

}  // namespace

Result<ServeSecrets> load_or_create_secrets(const std::filesystem::path& file, RandomSource& random) {
  if (std::filesystem::exists(file)) return read_secrets(file);
  ServeSecrets secrets{random_hex(random), random_hex(random)};
  const std::string text = json::serialize(json::object{{"url_signing_secret", secrets.url_signing_secret},
                                                        {"webhook_secret", secrets.webhook_secret}});
  // O_EXCL: if two servers start at once on one data dir, one writes and the other reads what it wrote.
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return read_secrets(file);
    return Error::make(ErrorCode::secrets_unwritable, "cannot create " + file.string());
  }
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  const bool closed = ::close(fd) == 0;
  if (!written || !closed) return Error::make(ErrorCode::secrets_unwritable, "cannot write " + file.string());
  return secrets;
}

}  // namespace live2::app
