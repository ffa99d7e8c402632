// `live2 serve`: the composition root of the job service. Settings -> SqliteStores ({data_dir}/live2.db: jobs, API
// keys, webhook outbox) -> LocalArtifactStore ({data_dir}/artifacts) -> executor -> WebhookDispatcher -> ApiService
// on HttpServer(s), speaking HTTPS when LIVE2_TLS_CERT_FILE and LIVE2_TLS_KEY_FILE are set (SIGHUP re-reads them).
// Runs until SIGTERM or SIGINT, then shuts down in order: the HTTP server stops accepting, finishes
// in-flight requests and ends event streams; then the executor (workers are interrupted and their jobs requeued to
// resume from their checkpoints) and the webhook dispatcher stop, and the stores close.
#include <signal.h>
#include <sys/resource.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <thread>

#include "api/api_service.h"
#include "api/http_server.h"
#include "artifacts/directory_usage.h"
#include "artifacts/local_artifact_store.h"
#include "base/environment.h"
#include "base/hashing.h"
#include "base/ip_network.h"
#include "commands.h"
#include "core/ids.h"
#include "exec/aws_batch_backend.h"
#include "exec/command_runners.h"
#include "exec/job_retention.h"
#include "exec/local_executor.h"
#include "exec/posix_process_launcher.h"
#include "exec/slurm_executor.h"
#include "serve_console.h"
#include "serve_secrets.h"
#include "settings_loader.h"
#include "slurm_settings.h"
#include "store/sqlite_stores.h"
#include "webhooks/webhook_dispatcher.h"
#include "webhooks/webhook_transport.h"

namespace live2::app {
namespace {

namespace fs = std::filesystem;

struct ServeArguments {
  std::string listen;
  std::string data_dir;
  std::string access_log;
};

[[noreturn]] void fail(const std::string& message) {
  std::cerr << "live2 serve: " << message << "\n";
  throw CLI::RuntimeError(1);
}

fs::path executable_directory() {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::current_path() : self.parent_path();
}

// The parts only some executors need live here, so the executor's lifetime covers them.
struct ExecutorBundle {
  std::unique_ptr<ProcessLauncher> launcher;
  std::unique_ptr<CommandRunner> command_runner;  // LIVE2_EXECUTOR=slurm: where Slurm's commands run
  std::unique_ptr<SlurmCommands> slurm_commands;
  std::unique_ptr<Executor> executor;
  // LIVE2_EXECUTOR=aws_batch: the Batch executor and the S3 artifact store it serves downloads from.
  std::unique_ptr<AwsBatchBackend> aws_batch;

  Executor& active() { return aws_batch ? aws_batch->executor() : *executor; }
};

// LIVE2_EXECUTOR=slurm: Slurm's commands here or on a login node over ssh; job directories in `artifacts`, whose root
// is the shared filesystem (docs/slurm.md).
ExecutorBundle make_slurm_executor(const Settings& settings, SqliteJobStore& store, LocalArtifactStore& artifacts,
                                   const Clock& clock, const std::string& worker_binary) {
  ExecutorBundle bundle;
  bundle.command_runner = make_command_runner(slurm_ssh_target(settings));
  bundle.slurm_commands = std::make_unique<SlurmCommands>(*bundle.command_runner);
  SlurmExecutorOptions options;
  options.worker_binary = settings.slurm_worker_binary.empty() ? worker_binary : settings.slurm_worker_binary;
  options.env = settings.env;
  options.partition = settings.slurm_partition;
  options.account = settings.slurm_account;
  options.qos = settings.slurm_qos;
  options.time_limit_minutes = settings.slurm_time_limit_minutes;
  options.sizing = slurm_sizing(settings);
  options.signal_grace_s = settings.slurm_signal_grace_s;
  options.cancel_grace_ms = settings.cancel_grace_ms;
  options.max_requeues = static_cast<int>(settings.slurm_max_requeues);
  for (const auto& [tier, limits] : settings.tier_limits) options.running_runs_by_tier[tier] = limits.running_runs;
  PollCadence& cadence = options.cadence;
  cadence.interval_ms = settings.slurm_poll_interval_ms;
  cadence.fast_interval_ms = std::min(cadence.fast_interval_ms, cadence.interval_ms);
  cadence.slow_interval_ms = std::max(cadence.slow_interval_ms, cadence.interval_ms);
  bundle.executor = std::make_unique<SlurmExecutor>(store, store, artifacts, *bundle.slurm_commands, clock, options);
  return bundle;
}

// LIVE2_EXECUTOR picks the executor: local child processes, AWS Batch with artifacts in S3 (docs/aws.md), or Slurm.
Result<ExecutorBundle> make_executor(const Settings& settings, SqliteJobStore& store, LocalArtifactStore& artifacts,
                                     const Clock& clock) {
  if (settings.executor == "aws_batch") {
    ExecutorBundle bundle;
    bundle.aws_batch = std::make_unique<AwsBatchBackend>(settings, process_environment(), store, store);
    return bundle;
  }
  const std::string worker_binary =
      settings.worker_binary.empty() ? (executable_directory() / "live2-sim").string() : settings.worker_binary;
  if (settings.executor == "slurm") return make_slurm_executor(settings, store, artifacts, clock, worker_binary);
  if (settings.executor != "local") {
    return Error::make(ErrorCode::unavailable,
                       "executor \"" + settings.executor + "\" is not available in this build; use local");
  }
  LocalExecutorOptions options;
  options.worker_binary = worker_binary;
  options.max_concurrent_jobs = static_cast<int>(settings.max_concurrent_jobs);
  options.worker_threads = static_cast<int>(settings.worker_threads);
  options.cancel_grace_ms = settings.cancel_grace_ms;
  options.env = settings.env;
  options.min_free_disk_bytes = settings.min_free_disk_bytes;
  for (const auto& [tier, limits] : settings.tier_limits) options.running_runs_by_tier[tier] = limits.running_runs;
  ExecutorBundle bundle;
  bundle.launcher = std::make_unique<PosixProcessLauncher>();
  bundle.executor = std::make_unique<LocalExecutor>(store, store, artifacts, *bundle.launcher, clock, options);
  return bundle;
}

std::optional<fs::path> dashboard_directory(const Settings& settings) {
  if (!settings.web_dir.empty()) return fs::path(settings.web_dir);
  fs::path beside_build = executable_directory() / ".." / ".." / "web" / "dist";
  std::error_code ec;
  if (fs::is_directory(beside_build, ec)) return beside_build;
  return std::nullopt;
}

std::string url_for_listen(const std::string& listen, bool tls) {
  std::string host_port = listen;
  if (host_port.starts_with("0.0.0.0:")) host_port = "127.0.0.1" + host_port.substr(7);
  if (host_port.starts_with("*:") || host_port.starts_with(":")) host_port = "127.0.0.1" + host_port.substr(host_port.find(':'));
  return (tls ? "https://" : "http://") + host_port;
}

// Over plain HTTP, a listener other machines can reach sends API keys and signed links in clear text.
bool listener_is_loopback_only(const std::string& listen) {
  std::string host = listen.substr(0, listen.rfind(':'));
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host == "localhost") return true;
  const std::optional<IpBytes> address = parse_ip_address(host);
  return address && is_loopback(*address);
}

// Raises the soft open-files limit to the hard one (systemd keeps the soft limit at 1024 for programs that use
// select(); live2 does not) and returns the limit in force.
int64_t raise_open_files_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024;
  if (limit.rlim_cur < limit.rlim_max) {
    const rlimit raised{limit.rlim_max, limit.rlim_max};
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  return limit.rlim_cur == RLIM_INFINITY ? int64_t{1} << 20 : static_cast<int64_t>(limit.rlim_cur);
}

// LIVE2_MAX_CONNECTIONS by default: a quarter of the descriptors (at most 256) stays for SQLite, workers' pipes and
// logs, webhook sockets and the metrics listener, and each connection may hold two (its socket and a file it
// sends). At most 10,000, which also bounds what connections' buffers can hold.
int64_t default_max_connections(int64_t open_files_limit) {
  const int64_t reserved = std::min<int64_t>(256, open_files_limit / 4);
  return std::clamp<int64_t>((open_files_limit - reserved) / 2, 1, 10'000);
}

// On a fresh data dir there is no key yet: make one for the user `local` so the service is usable at once.
std::optional<std::string> create_first_key(ApiKeyStore& api_keys, const Clock& clock, RandomSource& random) {
  auto keys = api_keys.list_api_keys();
  if (!keys) fail("cannot read API keys: " + keys.error().message);
  if (!keys->empty()) return std::nullopt;
  const std::string key = new_api_key(random);
  ApiKeyRecord record;
  record.key_id = new_random_id("key_", random);
  record.user_id = "local";
  record.tier = Tier::research;
  record.admin = true;
  record.key_hash = sha256_hex(key);
  record.created_at_ms = clock.now_ms();
  if (Status created = api_keys.create_api_key(record); !created) fail("cannot create the first API key: " + created.error().message);
  return key;
}

// How a person runs this binary from the working directory: relative when that is shorter (build/bin/live2).
std::string live2_command() {
  std::error_code ec;
  const fs::path binary = executable_directory() / "live2";
  const fs::path relative = fs::relative(binary, ec);
  if (ec || relative.empty() || relative.string().size() >= binary.string().size()) return binary.string();
  return relative.string();
}

// SIGHUP: new connections get the certificate and key now in the files (a renewal); open ones keep theirs. A pair
// that does not load leaves the current one in force.
void reload_certificate(api::TlsContext* tls) {
  if (!tls) return spdlog::info("SIGHUP received: nothing to reload (TLS is off)");
  if (Status reloaded = tls->reload(); !reloaded) {
    return spdlog::error("SIGHUP: the TLS certificate was not reloaded, the previous one stays in use: {}",
                         reloaded.error().message);
  }
  spdlog::info("SIGHUP: TLS certificate reloaded from {}", tls->certificate_file().string());
}

int run_serve(const ServeArguments& arguments) {
  // Signals are taken synchronously by this thread (sigwait); every thread started below inherits the blocked mask.
  // SIGTERM and SIGINT stop the server, SIGHUP re-reads the TLS certificate and key.
  sigset_t handled_signals;
  sigemptyset(&handled_signals);
  sigaddset(&handled_signals, SIGTERM);
  sigaddset(&handled_signals, SIGINT);
  sigaddset(&handled_signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &handled_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  const Settings settings = load_settings({{"LIVE2_LISTEN", arguments.listen},
                                           {"LIVE2_DATA_DIR", arguments.data_dir},
                                           {"LIVE2_ACCESS_LOG", arguments.access_log}});
  const fs::path data_dir = settings.data_dir;
  std::error_code ec;
  fs::create_directories(data_dir, ec);
  if (ec) fail("cannot create data dir " + data_dir.string() + ": " + ec.message());
  fs::permissions(data_dir, fs::perms::owner_all, fs::perm_options::replace, ec);

  const ConsoleMode console = detect_console_mode(settings.access_log);
  const fs::path access_log_file = fs::absolute(data_dir, ec).lexically_normal() / "access.log";
  std::shared_ptr<spdlog::logger> access_log;
  try {
    access_log = configure_logging(console, access_log_file);
  } catch (const spdlog::spdlog_ex& error) {  // spdlog reports a file it cannot open by throwing
    fail("cannot open the access log " + access_log_file.string() + ": " + error.what());
  }
  std::shared_ptr<api::TlsContext> tls;
  if (!settings.tls_cert_file.empty()) {
    auto loaded = api::TlsContext::load(settings.tls_cert_file, settings.tls_key_file);
    if (!loaded) fail(loaded.error().message);
    tls = std::move(loaded).value();
  }
  if (!tls && !listener_is_loopback_only(settings.listen)) {
    spdlog::warn("listening on {} over plain HTTP, reachable from other machines: API keys and download links cross "
                 "the network in clear text. Set LIVE2_TLS_CERT_FILE and LIVE2_TLS_KEY_FILE, or keep live2 on "
                 "127.0.0.1 behind a TLS proxy (deploy/Caddyfile, docs/deploy.md)",
                 settings.listen);
  }

  SystemClock clock;
  OsRandomSource random;
  auto secrets = load_or_create_secrets(data_dir / "secrets.json", random);
  if (!secrets) fail(secrets.error().message);
  auto stores = SqliteStores::open(data_dir / "live2.db", clock);
  if (!stores) fail("cannot open the database: " + stores.error().message);
  SqliteJobStore& jobs = (*stores)->jobs();
  const std::string base_url = url_for_listen(settings.listen, tls != nullptr);
  // With Slurm the job directories are on the cluster's shared filesystem, downloaded through the same signed links.
  const fs::path artifact_root =
      settings.executor == "slurm" ? slurm_shared_directory(settings, data_dir) : data_dir / "artifacts";
  LocalArtifactStore artifacts(artifact_root, settings.env,
                               settings.public_url.empty() ? base_url : settings.public_url,
                               secrets->url_signing_secret, clock);
  auto executor = make_executor(settings, jobs, artifacts, clock);
  if (!executor) fail(executor.error().message);

  webhooks::CurlWebhookTransport webhook_transport;
  webhooks::WebhookDispatcher webhook_dispatcher(
      (*stores)->outbox(), webhook_transport, clock,
      webhooks::WebhookOptions{secrets->webhook_secret, settings.webhook_allow_insecure});
  jobs.add_listener([&webhook_dispatcher](const Job& job) {
    if (job.webhook_url) webhook_dispatcher.wake();
  });

  // With AWS Batch, artifacts live in S3 and downloads are presigned S3 URLs, not live2's /files/.
  ArtifactStore& served_artifacts =
      executor->aws_batch ? executor->aws_batch->artifacts() : static_cast<ArtifactStore&>(artifacts);
  LocalArtifactStore* local_downloads = executor->aws_batch ? nullptr : &artifacts;
  // Retention deletes local job directories only: S3 expires its objects by the bucket's lifecycle rule.
  JobRetention retention(jobs, local_downloads, clock,
                         JobRetentionOptions{.artifact_days = settings.retention_days,
                                             .record_days = settings.retention_record_days});
  DirectoryUsage data_dir_usage(data_dir, clock);
  api::ApiParts parts{jobs,           jobs,           (*stores)->api_keys(), served_artifacts, executor->active(),
                      settings,       clock,          random,                local_downloads,  &webhook_dispatcher,
                      dashboard_directory(settings), &retention,            &data_dir_usage};
  api::ApiServiceOptions service_options;
  service_options.metrics_on_main_listener = settings.metrics_listen.empty();
  service_options.access_log = access_log;
  api::ApiService service(parts, service_options);

  api::HttpServerOptions server_options;
  server_options.listen = settings.listen;
  server_options.io_threads = static_cast<int>(std::max(2u, std::thread::hardware_concurrency()));
  server_options.max_body_bytes = settings.max_body_bytes;
  server_options.header_timeout_ms = settings.header_timeout_ms;
  server_options.idle_timeout_ms = settings.idle_timeout_ms;
  const int64_t open_files_limit = raise_open_files_limit();
  server_options.max_connections =
      settings.max_connections > 0 ? settings.max_connections : default_max_connections(open_files_limit);
  server_options.tls = tls;
  auto server = api::HttpServer::start(server_options, [&service](api::Request& request) { return service.handle(request); });
  if (!server) fail(server.error().message);
  std::unique_ptr<api::HttpServer> metrics_server;
  if (!settings.metrics_listen.empty()) {
    api::HttpServerOptions metrics_options = server_options;
    metrics_options.listen = settings.metrics_listen;
    metrics_options.tls = nullptr;  // scrapers on the operator's network; docs/configuration.md
    metrics_options.io_threads = 1;
    metrics_options.max_connections = std::min<int64_t>(64, server_options.max_connections);  // a few scrapers
    auto started = api::HttpServer::start(metrics_options, [&service](api::Request& request) {
      return service.handle_metrics_listener(request);
    });
    if (!started) fail(started.error().message);
    metrics_server = std::move(started).value();
  }

  StartInfo start_info{base_url, fs::absolute(data_dir, ec).lexically_normal(),
                       create_first_key((*stores)->api_keys(), clock, random), std::nullopt, live2_command()};
  if (console.access_log_to_file) start_info.access_log_file = access_log_file;
  print_start_message(std::cout, console, start_info);
  service.context().executor.start();
  webhook_dispatcher.start();
  retention.start();
  data_dir_usage.start();
  spdlog::info("serving {} on {} with the {} executor, data in {}; at most {} connections ({} open files)",
               tls ? "HTTPS" : "HTTP", settings.listen, settings.executor, data_dir.string(),
               server_options.max_connections, open_files_limit);
  std::cout.flush();

  int received = 0;
  while (sigwait(&handled_signals, &received) == 0 && received == SIGHUP) reload_certificate(tls.get());
  spdlog::info("signal {} received: shutting down", received);
  (*server)->shutdown(settings.shutdown_grace_ms);
  if (metrics_server) metrics_server->shutdown(1'000);
  service.context().executor.stop();
  webhook_dispatcher.stop();
  retention.stop();
  data_dir_usage.stop();
  spdlog::info("stopped");
  spdlog::shutdown();
  return 0;
}

}  // namespace

void register_serve_command(CLI::App& app) {
  auto arguments = std::make_shared<ServeArguments>();
  CLI::App* serve = app.add_subcommand("serve", "Run the job service: REST API, executor, webhooks and dashboard");
  serve->add_option("--listen", arguments->listen, "HOST:PORT to listen on (LIVE2_LISTEN, default 127.0.0.1:8080)");
  serve->add_option("--data-dir", arguments->data_dir, "Database, artifacts and secrets (LIVE2_DATA_DIR, default ./data)");
  serve->add_option("--access-log", arguments->access_log,
                    "JSON access log to stdout or file ({data_dir}/access.log) (LIVE2_ACCESS_LOG, default auto: file on "
                    "a terminal, stdout otherwise and under systemd)")
      ->check(CLI::IsMember({"auto", "stdout", "file"}));
  serve->footer(
      "Examples:\n"
      "  live2 serve                                  127.0.0.1:8080, data in ./data\n"
      "  live2 serve --listen 127.0.0.1:9000 --data-dir /srv/live2\n"
      "  live2 serve --access-log stdout              request lines on the terminal too");
  serve->callback([arguments] {
    if (const int code = run_serve(*arguments); code != 0) throw CLI::RuntimeError(code);
  });
}

}  // namespace live2::app
