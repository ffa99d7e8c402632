#include "aws/payload.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace live2::aws {
namespace {

// Unmaps when the last Payload sharing the mapping goes away.
class FileMapping {
 public:
  FileMapping(void* address, size_t length) : address_(address), length_(length) {}
  FileMapping(const FileMapping&) = delete;
  FileMapping& operator=(const FileMapping&) = delete;
  ~FileMapping() { ::munmap(address_, length_); }

 private:
  void* address_;
  size_t length_;
};

Error io_error(const std::filesystem::path& file, const char* what) {
  return Error::make(ErrorCode::io_error,
                     std::string("cannot ") + what + " " + file.string() + ": " + std::strerror(errno));
}

}  // namespace

Payload::Payload(std::string text) {
  auto owned = std::make_shared<const std::string>(std::move(text));
  bytes_ = *owned;
  owner_ = std::move(owned);
}

Result<Payload> map_file_range(const std::filesystem::path& file, int64_t offset, int64_t size) {
  if (size == 0) return Payload();
  const int descriptor = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (descriptor < 0) return io_error(file, "open");
  struct stat status {};
  if (::fstat(descriptor, &status) != 0 || offset < 0 || offset + size > status.st_size) {
    ::close(descriptor);
    // Touching a mapping past the end of the file raises SIGBUS: refuse the range instead.
    return Error::make(ErrorCode::io_error, file.string() + " is shorter than the range to upload");
  }
  // mmap wants a page-aligned offset: map from the page holding `offset` and skip the head.
  const int64_t page_size = ::sysconf(_SC_PAGESIZE);
  const int64_t aligned_offset = offset - offset % page_size;
  const auto length = static_cast<size_t>(size + (offset - aligned_offset));
  void* address = ::mmap(nullptr, length, PROT_READ, MAP_PRIVATE | MAP_POPULATE, descriptor, aligned_offset);
  ::close(descriptor);
  if (address == MAP_FAILED) return io_error(file, "map");
  ::madvise(address, length, MADV_SEQUENTIAL);
  auto mapping = std::make_shared<const FileMapping>(address, length);
  const std::string_view bytes(static_cast<const char*>(address) + (offset - aligned_offset), static_cast<size_t>(size));
  return Payload(std::move(mapping), bytes);
}

}  // namespace live2::aws
