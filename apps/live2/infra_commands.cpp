// `live2 infra plan | apply | destroy` and `live2 doctor`: the deployment of docs/aws-contract.md, built and reviewed.
#include <iostream>

#include "aws/aws_session.h"
#include "commands.h"
#include "core/settings.h"
#include "exec/slurm_doctor.h"
#include "infra/aws_deployment_api.h"
#include "infra/doctor.h"
#include "infra/doctor_probe.h"
#include "infra/infra_plan.h"
#include "settings_loader.h"
#include "slurm_settings.h"

namespace live2::app {
namespace {

constexpr int kExitChangesPending = 2;  // as `terraform plan -detailed-exitcode`

struct InfraFlags {
  std::string prefix, region, bucket, image, subnets, security_groups, max_vcpus, log_retention_days;
  bool yes = false;
  bool on_demand_fallback = false;
};

// The AWS side of one command: a session and the DeploymentApi over it.
struct Deployment {
  explicit Deployment(const Environment& variables, const std::string& region)
      : session(variables, region),
        api({session.client(aws::sts_service()), session.client(aws::iam_service()), session.s3(),
             session.client(aws::ecr_service()), session.client(aws::ec2_service()),
             session.client(aws::batch_service()), session.client(aws::logs_service())},
            session.sleeper()) {}
  aws::AwsSession session;
  infra::AwsDeploymentApi api;
};

[[noreturn]] void fail(const Error& error) {
  std::cerr << "live2: " << error.code_name() << ": " << error.message << "\n";
  for (const auto& detail : error.details) std::cerr << "  " << detail.field << ": " << detail.message << "\n";
  throw CLI::RuntimeError(1);
}

void add_infra_flags(CLI::App& command, InfraFlags& flags) {
  command.add_option("--prefix", flags.prefix, "resource name prefix (LIVE2_INFRA_PREFIX, default live2)");
  command.add_option("--region", flags.region,
                     "AWS region (else AWS_REGION, AWS_DEFAULT_REGION, the profile's region; no default)");
  command.add_option("--bucket", flags.bucket, "artifact bucket (AWS_S3_BUCKET, default <prefix>-artifacts)");
  command.add_option("--image", flags.image, "worker image (LIVE2_INFRA_IMAGE, default the ECR repository's :latest)");
  command.add_option("--subnets", flags.subnets, "comma-separated subnet ids (LIVE2_INFRA_SUBNETS)");
  command.add_option("--security-groups", flags.security_groups,
                     "comma-separated security group ids (LIVE2_INFRA_SECURITY_GROUPS)");
  command.add_option("--max-vcpus", flags.max_vcpus, "compute environment maxvCpus (LIVE2_INFRA_MAX_VCPUS, default 32)");
  command.add_option("--log-retention-days", flags.log_retention_days,
                     "days the jobs' log group keeps events, one of CloudWatch's values "
                     "(LIVE2_INFRA_LOG_RETENTION_DAYS, default 90)");
  command.add_flag("--on-demand-fallback", flags.on_demand_fallback,
                   "add a FARGATE (on-demand) compute environment behind the Spot one (LIVE2_INFRA_ON_DEMAND_FALLBACK)");
}

void run_infra(const std::string& action, const InfraFlags& flags) {
  auto variables = environment_with_dotenv();
  const std::pair<const char*, const std::string*> overrides[] = {
      {"LIVE2_INFRA_PREFIX", &flags.prefix},   {"AWS_REGION", &flags.region},
      {"AWS_S3_BUCKET", &flags.bucket},        {"LIVE2_INFRA_IMAGE", &flags.image},
      {"LIVE2_INFRA_SUBNETS", &flags.subnets}, {"LIVE2_INFRA_SECURITY_GROUPS", &flags.security_groups},
      {"LIVE2_INFRA_MAX_VCPUS", &flags.max_vcpus}, {"LIVE2_INFRA_LOG_RETENTION_DAYS", &flags.log_retention_days}};
  for (const auto& [name, value] : overrides) {
    if (!value->empty()) variables[name] = *value;
  }
  if (flags.on_demand_fallback) variables["LIVE2_INFRA_ON_DEMAND_FALLBACK"] = "true";
  Result<std::string> region = aws::resolve_region(variables);
  if (!region.ok()) fail(region.error());
  variables["AWS_REGION"] = *region;
  Result<infra::DeploymentConfig> config = infra::deployment_config_from(variables);
  if (!config.ok()) fail(config.error());
  Deployment deployment(variables, config->region);
  infra::Infrastructure infrastructure(deployment.api, *config);
  auto print_applied = [](const infra::PlannedChange& change) {
    std::cout << "done: " << to_string(change.kind) << " " << change.resource << " " << change.name << std::endl;
  };

  if (action == "plan") {
    Result<infra::Plan> plan = infrastructure.plan();
    if (!plan.ok()) fail(plan.error());
    std::cout << infra::render_plan(*plan, false);
    if (!plan->empty()) throw CLI::RuntimeError(kExitChangesPending);
  } else if (action == "apply") {
    Result<infra::Plan> applied = infrastructure.apply(print_applied);
    if (!applied.ok()) fail(applied.error());
    std::cout << (applied->empty() ? "No changes. The deployment matches the settings.\n"
                                   : "Applied " + std::to_string(applied->changes.size()) + " changes.\n");
  } else {
    Result<infra::Plan> planned = infrastructure.plan_destroy();
    if (!planned.ok()) fail(planned.error());
    if (!flags.yes) {
      std::cout << infra::render_plan(*planned, true);
      if (!planned->empty()) {
        std::cout << "Run again with --yes to delete these resources (the bucket must be empty).\n";
        throw CLI::RuntimeError(kExitChangesPending);
      }
      return;
    }
    Result<infra::Plan> destroyed = infrastructure.destroy(print_applied);
    if (!destroyed.ok()) fail(destroyed.error());
    const size_t removed = destroyed->changes.size() - destroyed->not_removed.size();
    std::cout << "Destroyed " << removed << " of " << destroyed->changes.size() << " resources.\n";
    if (!destroyed->not_removed.empty()) {
      std::cerr << "live2: could not remove:\n";
      for (const std::string& reason : destroyed->not_removed) std::cerr << "  " << reason << "\n";
      throw CLI::RuntimeError(1);
    }
  }
}

// LIVE2_EXECUTOR=slurm: the cluster's checks instead of AWS's (docs/slurm.md).
void run_slurm_doctor(const Settings& settings, const std::string& format) {
  const std::unique_ptr<CommandRunner> runner = make_command_runner(slurm_ssh_target(settings));
  SlurmCommands slurm(*runner);
  SlurmDoctorInputs inputs;
  inputs.partition = settings.slurm_partition;
  inputs.account = settings.slurm_account;
  inputs.qos = settings.slurm_qos;
  inputs.time_limit_minutes = settings.slurm_time_limit_minutes;
  inputs.cpu_asks = slurm_cpu_asks(settings);
  inputs.memory_asks = slurm_memory_asks(settings);
  inputs.shared_directory = slurm_shared_directory(settings, settings.data_dir);
  infra::DoctorReport report;
  for (const SlurmCheck& check : live2::run_slurm_doctor(slurm, inputs)) {
    const infra::CheckStatus status =
        !check.passed ? infra::CheckStatus::fail : check.warning ? infra::CheckStatus::warn : infra::CheckStatus::pass;
    report.checks.push_back({check.id, std::string(infra::kSlurmGroup), check.title, status, check.observed, check.fix});
  }
  std::cout << infra::render_report(report, format);
  if (!report.ok()) throw CLI::RuntimeError(1);
}

void run_doctor(const std::string& format, bool probe) {
  auto variables = environment_with_dotenv();
  Settings settings = load_settings();
  if (settings.executor == "slurm") return run_slurm_doctor(settings, format);
  if (settings.aws_region.empty()) fail(aws::resolve_region(variables).error());
  Deployment deployment(variables, settings.aws_region);
  infra::DoctorInputs inputs;
  inputs.region = settings.aws_region;
  inputs.job_queue = settings.batch_job_queue;
  inputs.job_definition = settings.batch_job_definition;
  inputs.bucket = settings.s3_bucket;
  inputs.environment = settings.env;
  if (auto it = variables.find("LIVE2_INFRA_PREFIX"); it != variables.end() && !it->second.empty()) {
    inputs.prefix = it->second;
  }
  inputs.executor = settings.executor;
  if (auto credentials = deployment.session.credentials(); credentials.ok()) {
    inputs.credentials_source = credentials->source;
  }
  inputs.variables = variables;
  for (const Tier tier : kAllTiers) {
    const TierLimits limits = settings.limits_for(tier);
    inputs.tier_ceilings.emplace_back(
        std::string(to_string(tier)),
        aws::FargateSize{static_cast<double>(limits.max_vcpus), static_cast<int>(limits.max_memory_mib)});
  }
  aws::BatchClient batch(deployment.session.client(aws::batch_service()));
  if (probe) {
    inputs.probe = [&] {
      infra::ProbeOptions options{settings.batch_job_queue, settings.batch_job_definition, settings.s3_bucket,
                                  settings.env};
      auto list = [&](const std::string& prefix) -> Result<std::vector<std::string>> {
        auto objects = deployment.session.s3().list_objects(settings.s3_bucket, prefix);
        if (!objects.ok()) return objects.error();
        std::vector<std::string> keys;
        for (const auto& object : *objects) keys.push_back(object.key);
        return keys;
      };
      return infra::run_probe(batch, list, deployment.session.sleeper(), deployment.session.clock(),
                              deployment.session.random(), options);
    };
  }
  infra::DoctorReport report = infra::run_doctor(deployment.api, inputs);
  std::cout << infra::render_report(report, format);
  if (!report.ok()) throw CLI::RuntimeError(1);
}

}  // namespace

void register_infra_commands(CLI::App& app) {
  CLI::App* infra = app.add_subcommand("infra", "provision the AWS deployment (plan, apply, destroy)");
  infra->require_subcommand(1);
  static InfraFlags flags;
  for (const auto& [name, help] : {std::pair{"plan", "show what apply would change (exit 0: nothing, 2: changes)"},
                                  std::pair{"apply", "create or update every resource; a second run changes nothing"},
                                  std::pair{"destroy", "delete every resource (asks for --yes)"}}) {
    CLI::App* command = infra->add_subcommand(name, help);
    add_infra_flags(*command, flags);
    if (std::string(name) == "destroy") command->add_flag("--yes", flags.yes, "really delete");
    command->callback([action = std::string(name)] { run_infra(action, flags); });
  }

  static std::string format = "text";
  static bool probe = false;
  CLI::App* doctor = app.add_subcommand("doctor", "review the AWS deployment (or with LIVE2_EXECUTOR=slurm the Slurm cluster) the settings name (exit 1 on failure)");
  doctor->add_option("--format", format, "text, md or json")->check(CLI::IsMember({"text", "md", "json"}));
  doctor->add_flag("--probe", probe, "also run a tiny job through the deployment and check its artifacts");
  doctor->callback([] { run_doctor(format, probe); });
}

}  // namespace live2::app
