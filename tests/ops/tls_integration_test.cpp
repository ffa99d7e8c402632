// `live2 serve` speaking HTTPS itself (LIVE2_TLS_CERT_FILE, LIVE2_TLS_KEY_FILE; docs/deploy.md) with certificates the
// test makes with the openssl CLI (self-signed for IP 127.0.0.1, so `curl --cacert` trusts exactly one of them): the
// API, an event stream and HSTS over HTTPS; a renewal (new files, SIGHUP) reaches new connections while a kept-alive
// one goes on; a bad renewal keeps the certificate in force; TLS 1.1 and CBC suites are refused by the server (the
// client offers them; the server answers with an alert); one setting without the other is a start-up error; a
// plain-HTTP listener other machines could reach is warned about.
#include <curl/curl.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>

#include "ops_test_helpers.h"

namespace live2::ops {
namespace {

namespace fs = std::filesystem;
using live2::testing::CommandOutput;
using live2::testing::HttpRequest;
using live2::testing::run_command;
using live2::testing::ServerProcess;

struct CertificatePair {
  fs::path certificate;
  fs::path key;
};

// A self-signed P-256 certificate for 127.0.0.1 with this common name (its own CA for curl --cacert).
CertificatePair make_certificate(const fs::path& dir, const std::string& name) {
  const CertificatePair pair{dir / (name + ".pem"), dir / (name + ".key")};
  const CommandOutput made = run_command(
      {find_program("openssl"), "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
       "-days", "2", "-subj", "/CN=" + name, "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", pair.key.string(),
       "-out", pair.certificate.string()});
  if (made.exit_code != 0) throw std::runtime_error("openssl req failed: " + made.stderr_text);
  return pair;
}

// What a renewal does: the new files take the old names (renamed into place, as certbot and acme.sh deploy hooks do).
void install(const CertificatePair& from, const CertificatePair& to) {
  fs::copy_file(from.certificate, to.certificate.string() + ".new", fs::copy_options::overwrite_existing);
  fs::copy_file(from.key, to.key.string() + ".new", fs::copy_options::overwrite_existing);
  fs::rename(to.certificate.string() + ".new", to.certificate);
  fs::rename(to.key.string() + ".new", to.key);
}

// `curl --cacert CA` against the server: the HTTP status, or 0 when the TLS connection failed.
long curl_status(const std::string& url, const fs::path& ca_file) {
  const CommandOutput out = run_command({find_program("curl"), "-sS", "--max-time", "10", "--cacert", ca_file.string(),
                                         "-o", "/dev/null", "-w", "%{http_code}", url});
  return std::stol(out.stdout_text.empty() ? "0" : out.stdout_text);
}

// `openssl s_client` offering what `arguments` (plain words) say, with nothing to send (stdin /dev/null: it
// handshakes, then leaves). Its config has none of Debian's client minimums (TLS 1.2, security level 2), so the client
// really offers TLS 1.1 and CBC suites and a refusal is the server's.
CommandOutput s_client(int port, const fs::path& dir, const std::vector<std::string>& arguments) {
  const fs::path permissive_config = dir / "openssl-client.cnf";
  std::ofstream(permissive_config) << "# no system defaults\n";
  std::string command = "exec '" + find_program("openssl") + "' s_client -connect 127.0.0.1:" + std::to_string(port);
  for (const std::string& argument : arguments) command += " '" + argument + "'";
  return run_command({"/bin/sh", "-c", command + " </dev/null"}, {{"OPENSSL_CONF", permissive_config.string()}});
}

// One libcurl handle whose connection stays open between calls (keep-alive), trusting `ca_file` only.
class KeptAliveClient {
 public:
  explicit KeptAliveClient(const fs::path& ca_file) : handle_(curl_easy_init()), ca_file_(ca_file.string()) {
    curl_easy_setopt(handle_, CURLOPT_CAINFO, ca_file_.c_str());
    curl_easy_setopt(handle_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(handle_, CURLOPT_TIMEOUT_MS, 10'000L);
    curl_easy_setopt(handle_, CURLOPT_WRITEFUNCTION, +[](char*, size_t size, size_t count, void*) { return size * count; });
  }
  ~KeptAliveClient() { curl_easy_cleanup(handle_); }

  struct Answer {
    long status = 0;
    long new_connections = -1;  // 0: the call went over the connection of the previous one
  };
  Answer get(const std::string& url) {
    curl_easy_setopt(handle_, CURLOPT_URL, url.c_str());
    Answer answer;
    if (curl_easy_perform(handle_) != CURLE_OK) return answer;
    curl_easy_getinfo(handle_, CURLINFO_RESPONSE_CODE, &answer.status);
    curl_easy_getinfo(handle_, CURLINFO_NUM_CONNECTS, &answer.new_connections);
    return answer;
  }

 private:
  CURL* handle_;
  std::string ca_file_;
};

class TlsServe : public ::testing::Test {
 protected:
  void SetUp() override {
    if (find_program("openssl").empty() || find_program("curl").empty()) GTEST_SKIP() << "needs openssl and curl";
    first_ = make_certificate(dir_.path(), "live2-first");
    served_ = {dir_.path() / "cert.pem", dir_.path() / "key.pem"};
    install(first_, served_);
  }

  live2::testing::ServerOptions https_options() {
    live2::testing::ServerOptions options = burst_server_options(dir_);
    options.env["LIVE2_TLS_CERT_FILE"] = served_.certificate.string();
    options.env["LIVE2_TLS_KEY_FILE"] = served_.key.string();
    return options;
  }

  live2::testing::TempDir dir_{"live2-tls"};
  CertificatePair first_;
  CertificatePair served_;
};

TEST_F(TlsServe, TheApiAndEventStreamsWorkOverHttpsWithHsts) {
  ServerProcess server(https_options());
  server.start();
  const std::string key = server.create_key("alice", "enterprise");
  EXPECT_EQ(curl_status(server.url("/health"), first_.certificate), 200);
  EXPECT_NE(server.log_text().find("serving HTTPS on"), std::string::npos);

  const std::string ca_file = first_.certificate.string();
  HttpRequest submit{"POST", server.url("/api/v1/jobs"), live2::testing::bearer(key), api::testing::job_body(), 10'000};
  submit.headers["Content-Type"] = "application/json";
  const auto submitted = live2::testing::http_request(submit, ca_file);
  ASSERT_EQ(submitted.status, 202) << submitted.body << submitted.transport_error;
  EXPECT_EQ(submitted.header("strict-transport-security"), "max-age=63072000");
  const std::string job_id(api::testing::parse_body(submitted).at("job_id").as_string());
  // Links the server builds use https by default (LIVE2_PUBLIC_URL unset).
  const auto job = live2::testing::http_request(
      HttpRequest{"GET", server.url("/api/v1/jobs/" + job_id), live2::testing::bearer(key), "", 10'000}, ca_file);
  EXPECT_EQ(job.status, 200);
  EXPECT_EQ(job.header("strict-transport-security"), "max-age=63072000");

  // An event stream over TLS: its header carries HSTS and its first event is the job.
  std::string received;
  const auto stream = live2::testing::http_stream(
      HttpRequest{"GET", server.url("/api/v1/jobs/" + job_id + "/events"), live2::testing::bearer(key), "", 10'000},
      [&](std::string_view chunk) {
        received += chunk;
        return received.find("event: job") == std::string::npos;
      },
      ca_file);
  EXPECT_EQ(stream.status, 200);
  EXPECT_EQ(stream.header("strict-transport-security"), "max-age=63072000");
  EXPECT_NE(received.find(job_id), std::string::npos) << received;

  // Plain HTTP to the HTTPS port is no request: nothing answers in clear text.
  const HttpRequest plain{"GET", "http://127.0.0.1:" + std::to_string(server.port()) + "/health", {}, "", 5'000};
  EXPECT_EQ(live2::testing::http_request(plain).status, 0);
}

TEST_F(TlsServe, SighupServesARenewedCertificateToNewConnectionsAndKeepsOpenOnes) {
  ServerProcess server(https_options());
  server.start();
  KeptAliveClient kept(first_.certificate);
  ASSERT_EQ(kept.get(server.url("/health")).status, 200);

  const CertificatePair renewed = make_certificate(dir_.path(), "live2-renewed");
  install(renewed, served_);
  EXPECT_EQ(curl_status(server.url("/health"), first_.certificate), 200);  // nothing changes before the signal
  ASSERT_EQ(kill(server.pid(), SIGHUP), 0);
  ASSERT_TRUE(api::testing::eventually([&] { return curl_status(server.url("/health"), renewed.certificate) == 200; }))
      << server.log_text();
  EXPECT_EQ(curl_status(server.url("/health"), first_.certificate), 0);  // new connections get the renewed one only
  const auto again = kept.get(server.url("/health"));
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.new_connections, 0);  // over the connection opened before the renewal

  // A renewal that went wrong (the key of another certificate): the renewed certificate stays in force, the log says.
  const CertificatePair other = make_certificate(dir_.path(), "live2-other");
  fs::copy_file(other.key, served_.key, fs::copy_options::overwrite_existing);
  ASSERT_EQ(kill(server.pid(), SIGHUP), 0);
  ASSERT_TRUE(api::testing::eventually(
      [&] { return server.log_text().find("the TLS certificate was not reloaded") != std::string::npos; }))
      << server.log_text();
  EXPECT_NE(server.log_text().find("cannot use " + served_.key.string() + " for TLS: key values mismatch"),
            std::string::npos)
      << server.log_text();
  EXPECT_EQ(curl_status(server.url("/health"), renewed.certificate), 200);
  EXPECT_EQ(server.stop(), 0);  // SIGHUP never stops the server
}

TEST_F(TlsServe, RefusesTls11AndCbcSuites) {
  ServerProcess server(https_options());
  server.start();
  // The same client settles TLS 1.2 with an AEAD suite, and 1.3: the refusals below are about what it offers.
  const CommandOutput gcm = s_client(server.port(), dir_.path(), {"-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256"});
  EXPECT_NE(gcm.stdout_text.find("Cipher is ECDHE-ECDSA-AES128-GCM-SHA256"), std::string::npos) << gcm.stdout_text;
  const CommandOutput tls13 = s_client(server.port(), dir_.path(), {"-tls1_3"});
  EXPECT_NE(tls13.stdout_text.find("TLSv1.3"), std::string::npos) << tls13.stdout_text;

  const CommandOutput tls11 = s_client(server.port(), dir_.path(), {"-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0"});
  EXPECT_NE(tls11.exit_code, 0);
  EXPECT_NE(tls11.stderr_text.find("alert protocol version"), std::string::npos) << tls11.stderr_text;

  const CommandOutput cbc = s_client(server.port(), dir_.path(),
                                     {"-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA384:"
                                                            "ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES256-SHA"});
  EXPECT_NE(cbc.exit_code, 0);
  EXPECT_NE(cbc.stderr_text.find("alert handshake failure"), std::string::npos) << cbc.stderr_text;
}

TEST_F(TlsServe, OneSettingWithoutTheOtherIsAStartError) {
  const CommandOutput started = run_command(
      {(live2::testing::binary_dir() / "live2").string(), "serve", "--listen", "127.0.0.1:0", "--data-dir",
       (dir_.path() / "data").string()},
      {{"LIVE2_TLS_CERT_FILE", served_.certificate.string()}});
  EXPECT_NE(started.exit_code, 0);
  EXPECT_NE((started.stdout_text + started.stderr_text).find("LIVE2_TLS_KEY_FILE"), std::string::npos)
      << started.stdout_text << started.stderr_text;
}

// 192.0.2.1 (TEST-NET-1) is no address of this machine: serve warns at start, then cannot bind and exits, so nothing
// listens beyond loopback. With TLS on there is no such warning.
TEST_F(TlsServe, APlainHttpListenerOtherMachinesCouldReachIsWarnedAbout) {
  const std::vector<std::string> serve{(live2::testing::binary_dir() / "live2").string(), "serve", "--listen",
                                       "192.0.2.1:" + std::to_string(live2::testing::free_loopback_port()),
                                       "--data-dir", (dir_.path() / "data").string()};
  const CommandOutput plain = run_command(serve);
  EXPECT_NE(plain.exit_code, 0);
  EXPECT_NE((plain.stdout_text + plain.stderr_text).find("over plain HTTP, reachable from other machines"),
            std::string::npos)
      << plain.stdout_text << plain.stderr_text;
  const CommandOutput https = run_command(serve, {{"LIVE2_TLS_CERT_FILE", served_.certificate.string()},
                                                  {"LIVE2_TLS_KEY_FILE", served_.key.string()}});
  EXPECT_NE(https.exit_code, 0);
  EXPECT_EQ((https.stdout_text + https.stderr_text).find("plain HTTP"), std::string::npos) << https.stdout_text;
}

}  // namespace
}  // namespace live2::ops
