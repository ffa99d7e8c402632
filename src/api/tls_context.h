// TlsContext: what `live2 serve` needs to speak HTTPS itself (LIVE2_TLS_CERT_FILE, LIVE2_TLS_KEY_FILE): an OpenSSL
// server context (through Asio) holding a certificate chain and its private key read from PEM files, TLS 1.2 and 1.3
// only, with Mozilla's "intermediate" configuration: ECDHE/DHE key exchange with AES-GCM or ChaCha20-Poly1305 (no CBC
// suite, no static RSA key exchange), the client's preference among them, no renegotiation.
// reload() re-reads both files into a new context (SIGHUP after a certificate renewal): connections accepted
// afterwards handshake with it, open ones keep the context they started with (each holds its shared_ptr). A pair that
// does not load (a file unreadable or not PEM, a key that does not match the certificate) leaves the current context
// in force. Thread-safe.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>

#include "base/result.h"

namespace boost::asio::ssl {
class context;
}

namespace live2::api {

class TlsContext {
 public:
  // Errors: `invalid_settings`, naming the file and OpenSSL's reason.
  static Result<std::shared_ptr<TlsContext>> load(std::filesystem::path certificate_file,
                                                  std::filesystem::path key_file);

  // Errors as load(); the previous context stays in force then.
  Status reload();

  // The context a new connection handshakes with.
  std::shared_ptr<boost::asio::ssl::context> current() const;

  const std::filesystem::path& certificate_file() const { return certificate_file_; }

 private:
  TlsContext(std::filesystem::path certificate_file, std::filesystem::path key_file);

  const std::filesystem::path certificate_file_;
  const std::filesystem::path key_file_;
  mutable std::mutex mutex_;
  std::shared_ptr<boost::asio::ssl::context> current_;
};

}  // namespace live2::api
