#include "worker/atomic_file.h"

#include <fstream>
#include <sstream>
#include <system_error>

namespace live2::worker {
namespace {

std::filesystem::path temp_path_for(const std::filesystem::path& path) {
  std::filesystem::path temp = path;
  temp += ".tmp";
  return temp;
}

OutputStatus rename_into_place(const std::filesystem::path& temp, const std::filesystem::path& path) {
  std::error_code error;
  std::filesystem::rename(temp, path, error);
  if (error) {
    std::filesystem::remove(temp, error);
    return OutputStatus::failure("cannot rename " + temp.string() + " to " + path.string() + ": " + error.message());
  }
  return {};
}

OutputStatus create_parent(const std::filesystem::path& path) {
  std::error_code error;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), error);
  if (error)
    return OutputStatus::failure("cannot create directory " + path.parent_path().string() + ": " + error.message());
  return {};
}

}  // namespace

OutputStatus write_file_atomically(const std::filesystem::path& path, const std::function<void(std::ostream&)>& write) {
  if (auto created = create_parent(path); !created) return created;
  const std::filesystem::path temp = temp_path_for(path);
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) return OutputStatus::failure("cannot open " + temp.string() + " for writing");
    write(out);
    out.flush();
    if (!out) {
      out.close();
      std::error_code ignored;
      std::filesystem::remove(temp, ignored);
      return OutputStatus::failure("cannot write " + temp.string());
    }
  }
  return rename_into_place(temp, path);
}

OutputStatus write_file_atomically(const std::filesystem::path& path, std::string_view content) {
  return write_file_atomically(path, [content](std::ostream& out) { out.write(content.data(), content.size()); });
}

OutputStatus copy_file_atomically(const std::filesystem::path& from, const std::filesystem::path& to) {
  if (auto created = create_parent(to); !created) return created;
  const std::filesystem::path temp = temp_path_for(to);
  std::error_code error;
  std::filesystem::copy_file(from, temp, std::filesystem::copy_options::overwrite_existing, error);
  if (error) {
    std::filesystem::remove(temp, error);
    return OutputStatus::failure("cannot copy " + from.string() + " to " + temp.string() + ": " + error.message());
  }
  return rename_into_place(temp, to);
}

std::optional<std::string> read_text_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return content.str();
}

}  // namespace live2::worker
