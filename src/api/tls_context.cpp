#include "api/tls_context.h"

#include <openssl/ssl.h>

#include <boost/asio/ssl/context.hpp>

namespace live2::api {
namespace {

namespace ssl = boost::asio::ssl;

// Mozilla's "intermediate" server configuration (ssl-config.mozilla.org, guidelines 5.7): for TLS 1.2 the AEAD suites
// with forward secrecy only, for TLS 1.3 its three suites, and the curves X25519, P-256, P-384. DHE suites use the
// RFC 7919 group OpenSSL picks for the key size (dh_auto).
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
    "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305";
constexpr const char* kTls13Ciphersuites = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";
constexpr const char* kGroups = "X25519:prime256v1:secp384r1";

Error unusable(const std::filesystem::path& file, const std::string& reason) {
  return Error::make(ErrorCode::invalid_settings, "cannot use " + file.string() + " for TLS: " + reason);
}

Result<std::shared_ptr<ssl::context>> build_context(const std::filesystem::path& certificate_file,
                                                    const std::filesystem::path& key_file) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* native = context->native_handle();
  const bool configured = SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) == 1 &&
                          SSL_CTX_set_cipher_list(native, kTls12Ciphers) == 1 &&
                          SSL_CTX_set_ciphersuites(native, kTls13Ciphersuites) == 1 &&
                          SSL_CTX_set1_groups_list(native, kGroups) == 1 && SSL_CTX_set_dh_auto(native, 1) == 1;
  if (!configured) return Error::make(ErrorCode::internal, "OpenSSL refused the intermediate TLS configuration");
  SSL_CTX_set_options(native, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION);
  boost::system::error_code ec;
  context->use_certificate_chain_file(certificate_file.string(), ec);
  if (ec) return unusable(certificate_file, ec.message());
  context->use_private_key_file(key_file.string(), ssl::context::pem, ec);
  if (ec) return unusable(key_file, ec.message());
  if (SSL_CTX_check_private_key(native) != 1) {
    return unusable(key_file, "the private key does not match the certificate in " + certificate_file.string());
  }
  return context;
}

}  // namespace

TlsContext::TlsContext(std::filesystem::path certificate_file, std::filesystem::path key_file)
    : certificate_file_(std::move(certificate_file)), key_file_(std::move(key_file)) {}

Result<std::shared_ptr<TlsContext>> TlsContext::load(std::filesystem::path certificate_file,
                                                     std::filesystem::path key_file) {
  std::shared_ptr<TlsContext> tls(new TlsContext(std::move(certificate_file), std::move(key_file)));
  if (Status loaded = tls->reload(); !loaded) return loaded.error();
  return tls;
}

Status TlsContext::reload() {
  auto context = build_context(certificate_file_, key_file_);
  if (!context) return context.error();
  std::lock_guard lock(mutex_);
  current_ = std::move(context).value();
  return Status::success();
}

std::shared_ptr<ssl::context> TlsContext::current() const {
  std::lock_guard lock(mutex_);
  return current_;
}

}  // namespace live2::api
