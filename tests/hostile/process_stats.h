// What the kernel says about a process the hostile tests attack: resident memory now and at its peak
// (/proc/PID/status VmRSS, VmHWM), CPU time used (/proc/PID/stat utime + stime), and its descriptor limit
// (changed from outside with prlimit(2), as `prlimit --pid` does). Stateless functions; safe from any thread.
#pragma once

#include <sys/types.h>

#include <cstdint>

namespace live2::hostile {

struct MemoryUse {
  int64_t rss_bytes = 0;       // VmRSS
  int64_t peak_rss_bytes = 0;  // VmHWM: the high-water mark since the process started
};

// Zeros when the process is gone.
MemoryUse memory_use(pid_t pid);

// User plus system CPU seconds the process (not its children) has used so far; -1 when it is gone.
double cpu_seconds(pid_t pid);

// Sets RLIMIT_NOFILE (soft and hard) of a running process; false when the kernel refuses.
bool set_descriptor_limit(pid_t pid, uint64_t descriptors);

}  // namespace live2::hostile
