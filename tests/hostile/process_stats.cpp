#include "process_stats.h"

#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

namespace live2::hostile {

MemoryUse memory_use(pid_t pid) {
  MemoryUse use;
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    std::istringstream fields(line);
    std::string name;
    int64_t kib = 0;
    fields >> name >> kib;
    if (name == "VmRSS:") use.rss_bytes = kib * 1024;
    if (name == "VmHWM:") use.peak_rss_bytes = kib * 1024;
  }
  return use;
}

double cpu_seconds(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  const size_t comm_end = text.rfind(')');
  if (comm_end == std::string::npos) return -1;
  // After "pid (comm)": field 3 (state) onwards; utime and stime are fields 14 and 15.
  std::istringstream fields(text.substr(comm_end + 2));
  std::string field;
  double ticks = 0;
  for (int number = 3; number <= 15 && fields >> field; ++number) {
    if (number >= 14) ticks += std::stod(field);
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

bool set_descriptor_limit(pid_t pid, uint64_t descriptors) {
  const rlimit limit{descriptors, descriptors};
  return prlimit(pid, RLIMIT_NOFILE, &limit, nullptr) == 0;
}

}  // namespace live2::hostile
