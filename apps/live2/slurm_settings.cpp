#include "slurm_settings.h"

namespace live2::app {

SshTarget slurm_ssh_target(const Settings& settings) {
  return SshTarget{settings.slurm_ssh_host, static_cast<int>(settings.slurm_ssh_port), settings.slurm_ssh_key,
                   settings.slurm_ssh_known_hosts};
}

std::filesystem::path slurm_shared_directory(const Settings& settings, const std::filesystem::path& data_dir) {
  return settings.slurm_shared_dir.empty() ? data_dir / "artifacts" : std::filesystem::path(settings.slurm_shared_dir);
}

}  // namespace live2::app
