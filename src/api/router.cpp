#include "api/router.h"

#include <algorithm>

namespace live2::api {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> segments;
  size_t start = 1;  // paths begin with '/'
  while (start <= path.size()) {
    const size_t end = path.find('/', start);
    const size_t stop = end == std::string_view::npos ? path.size() : end;
    segments.push_back(path.substr(start, stop - start));
    start = stop + 1;
  }
  return segments;
}

bool is_capture(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

bool is_rest_capture(std::string_view segment) { return is_capture(segment) && segment.ends_with("...}"); }

}  // namespace

void Router::add(std::string method, std::string pattern, Access access, Handler handler) {
  CompiledRoute compiled{Route{std::move(method), std::move(pattern), access, std::move(handler)}, {}};
  for (std::string_view segment : split_path(compiled.route.pattern)) compiled.segments.emplace_back(segment);
  routes_.push_back(std::move(compiled));
}

RouteMatch Router::match(std::string_view method, std::string_view path) const {
  RouteMatch result;
  if (path.empty() || path.front() != '/') return result;
  const auto segments = split_path(path);
  for (const auto& compiled : routes_) {
    const bool takes_rest = is_rest_capture(compiled.segments.back());
    if (takes_rest ? segments.size() < compiled.segments.size() : compiled.segments.size() != segments.size()) {
      continue;
    }
    std::map<std::string, std::string> params;
    bool matches = true;
    for (size_t i = 0; i < compiled.segments.size() && matches; ++i) {
      const std::string& expected = compiled.segments[i];
      if (takes_rest && i + 1 == compiled.segments.size()) {
        const size_t offset = static_cast<size_t>(segments[i].data() - path.data());
        params[expected.substr(1, expected.size() - 5)] = std::string(path.substr(offset));
      } else if (is_capture(expected)) {
        if (segments[i].empty()) matches = false;
        else params[expected.substr(1, expected.size() - 2)] = std::string(segments[i]);
      } else {
        matches = expected == segments[i];
      }
    }
    if (!matches) continue;
    result.path_known = true;
    result.allowed_methods.push_back(compiled.route.method);
    // HEAD is GET without the body (RFC 9110 section 9.3.2); the server leaves the body out.
    const bool serves = compiled.route.method == method || (method == "HEAD" && compiled.route.method == "GET");
    if (serves && result.route == nullptr) {
      result.route = &compiled.route;
      result.params = std::move(params);
    }
  }
  std::sort(result.allowed_methods.begin(), result.allowed_methods.end());
  return result;
}

}  // namespace live2::api
