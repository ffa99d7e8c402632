#include "request_fuzzer.h"

#include <array>
#include <cstdio>
#include <vector>

namespace live2::hostile {
namespace {

constexpr std::string_view kUpper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
constexpr std::string_view kTokenChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+-.^_`|~";
constexpr std::string_view kPrintable =
    " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";

// The submission as JSON text in pieces, so mutators can break it in ways a JSON library would not write.
struct JobText {
  std::string job_type = R"("run_simulation")";
  std::string mode = R"("open_chemistry")";
  std::vector<std::pair<std::string, std::string>> config{{"num_particles", "100"}, {"steps", "300"}};
  std::string config_extra;  // appended inside config, after the fields
  std::string top_extra;     // appended inside the top-level object

  std::string render() const {
    std::string fields;
    for (const auto& [name, value] : config) fields += (fields.empty() ? "" : ",") + ("\"" + name + "\":" + value);
    fields += config_extra;
    return R"({"job_type":)" + job_type + R"(,"params":{"simulation_config":{"mode":)" + mode + R"(,"config":{)" +
           fields + "}}}" + top_extra + "}";
  }
};

const std::array<std::string_view, 9> kNumericFields{"num_particles", "temperature", "steps",  "seed", "dt_fs",
                                                     "density",       "friction",    "snapshot_interval",
                                                     "analysis_interval"};

// Internal, numeric or malformed: never a host name that would need DNS.
const std::array<std::string_view, 14> kWebhookUrls{
    "https://2130706433/hook", "https://0x7f000001/hook", "https://127.1/hook",   "https://0/hook",
    "https://localhost/hook",  "https://[::1]/hook",      "https://10.0.0.1:0/x", "https://127.0.0.1:65536/x",
    "https://127.0.0.1:99999999999/x", "http://127.0.0.1/hook", "javascript:alert(1)", "https://",
    "https://[::ffff:127.0.0.1]/x",    "https://user:pw@169.254.169.254/latest"};

}  // namespace

RequestFuzzer::RequestFuzzer(uint64_t seed, std::string api_key) : random_(seed), api_key_(std::move(api_key)) {}

std::string RequestFuzzer::token(size_t min_length, size_t max_length, std::string_view alphabet) {
  const size_t length = min_length + pick(max_length - min_length + 1);
  std::string out;
  for (size_t i = 0; i < length; ++i) out += alphabet[pick(alphabet.size())];
  return out;
}

std::string RequestFuzzer::random_bytes(size_t count) {
  std::string out(count, '\0');
  for (char& c : out) c = static_cast<char>(pick(256));
  return out;
}

std::string RequestFuzzer::random_number_text() {
  static const std::array<std::string_view, 24> kEdges{
      "0", "-1", "1", "2", "1e308", "-1e308", "1e309", "-0", "0.0000001", "2147483648", "9223372036854775807",
      "9223372036854775808", "-9223372036854775809", "18446744073709551616", "1.5", "5000", "5000.000001", "0.02",
      "0.0200001", "0.0001", "2000000", "1000000000", "4.9e-324", "123456789012345678901234567890"};
  switch (pick(3)) {
    case 0: return std::string(kEdges[pick(kEdges.size())]);
    case 1: return std::to_string(static_cast<int64_t>(random_()) >> pick(64));
    default: return std::to_string(std::uniform_real_distribution<double>(-1e4, 1e4)(random_));
  }
}

RequestFuzzer::Parts RequestFuzzer::legitimate() const {
  Parts parts;
  parts.headers = {{"Host", "127.0.0.1"},
                   {"Authorization", "Bearer " + api_key_},
                   {"Content-Type", "application/json"},
                   {"Connection", "close"}};
  parts.body = JobText{}.render();
  return parts;
}

std::string RequestFuzzer::mutate_request_line(Parts& parts) {
  switch (pick(4)) {
    case 0: {
      static const std::array<std::string_view, 9> kMethods{"post", "GET", "PUT", "DELETE", "PATCH", "OPTIONS",
                                                            "CONNECT", "TRACE", ""};
      if (pick(2) == 0) parts.method = kMethods[pick(kMethods.size())];
      else if (pick(2) == 0) parts.method = token(1, 40, kUpper);
      else parts.method = token(1, 20, kTokenChars) + std::string(1, kPrintable[pick(kPrintable.size())]);
      if (pick(20) == 0) parts.method = std::string(20'000, 'P');
      return "line:method";
    }
    case 1: {
      static const std::array<std::string_view, 14> kTargets{
          "/api/v1/jobs?limit=0", "/api/v1/jobs/../jobs", "/api/v1//jobs", "/%00", "/api/v1/jobs%2F", "*",
          "http://127.0.0.1/api/v1/jobs", "/api/v1/jobs#fragment", "", "/api/v1/jobs/%zz", "//", "/api/v1/jobs?%",
          "/api/v1/jobs/job_\xff\xfe", "/api/v1/jobs?status=queued&status=running&cursor=c1_%%%"};
      if (pick(4) == 0) parts.target = "/" + token(1, 30'000, kPrintable);
      else if (pick(3) == 0) parts.target = "/api/v1/jobs/" + random_bytes(1 + pick(200));
      else parts.target = kTargets[pick(kTargets.size())];
      return "line:target";
    }
    case 2: {
      static const std::array<std::string_view, 9> kVersions{"HTTP/1.0", "HTTP/2.0", "HTTP/9.9", "http/1.1",
                                                             "HTTP/1",   "",         "HTTP/1.1 x", "HTTP/1.10",
                                                             "HTTP/01.1"};
      parts.version = kVersions[pick(kVersions.size())];
      return "line:version";
    }
    default:
      parts.method = random_bytes(1 + pick(30));
      parts.target = random_bytes(1 + pick(30));
      return "line:bytes";
  }
}

std::string RequestFuzzer::mutate_headers(Parts& parts) {
  auto set = [&](const std::string& name, const std::string& value) {
    for (auto& [existing, old] : parts.headers) {
      if (existing == name) {
        old = value;
        return;
      }
    }
    parts.headers.emplace_back(name, value);
  };
  auto remove = [&](const std::string& name) {
    std::erase_if(parts.headers, [&](const auto& field) { return field.first == name; });
  };
  const std::string length = std::to_string(parts.body.size());
  switch (pick(10)) {
    case 0: {
      static const std::array<std::string_view, 8> kLengths{"-1", "99999999999999999999", "+12", "0x10", "1e3",
                                                            "",   "18446744073709551615", "1 2"};
      parts.raw_framing = true;
      switch (pick(4)) {
        case 0: parts.headers.emplace_back("Content-Length", std::string(kLengths[pick(kLengths.size())])); break;
        case 1: parts.headers.emplace_back("Content-Length", length + ", " + length); break;
        case 2:
          parts.headers.emplace_back("Content-Length", length);
          parts.headers.emplace_back("Content-Length", std::to_string(parts.body.size() / 2));
          break;
        default:  // a length that does not match the body: short (the rest is a second request) or long
          parts.headers.emplace_back("Content-Length", std::to_string(pick(parts.body.size() * 2 + 1)));
      }
      return "header:content-length";
    }
    case 1: {
      static const std::array<std::string_view, 10> kCodings{"chunked, identity", "identity", "gzip",
                                                             "gzip, chunked",     "Chunked",  "chunked;q=1",
                                                             "chunked, chunked",  "xchunked", "chunked ",
                                                             " chunked"};
      parts.chunked = true;
      parts.raw_framing = true;
      parts.headers.emplace_back("Transfer-Encoding", std::string(kCodings[pick(kCodings.size())]));
      if (pick(3) == 0) parts.headers.emplace_back("Content-Length", length);
      if (pick(3) == 0) parts.headers.emplace_back("Transfer-Encoding", "chunked");
      if (pick(4) == 0) parts.version = "HTTP/1.0";
      return "header:transfer-encoding";
    }
    case 2:
      parts.chunked = true;
      return "header:chunked";
    case 3: {
      static const std::array<std::string_view, 6> kSchemes{"bearer ", "BEARER ", "Basic ", "Bearer  ", "Token ",
                                                            "Bearer\t"};
      switch (pick(5)) {
        case 0: set("Authorization", std::string(kSchemes[pick(kSchemes.size())]) + api_key_); break;
        case 1: set("Authorization", "Bearer sk_live_" + token(0, 64, kTokenChars)); break;
        case 2: set("Authorization", "Bearer " + std::string(16'000 + pick(8'000), 'k')); break;
        case 3: remove("Authorization"); break;
        default:
          parts.headers.emplace(parts.headers.begin(), "Authorization", "Bearer sk_live_bogus");
      }
      return "header:authorization";
    }
    case 4: {
      static const std::array<std::string_view, 6> kTypes{"text/plain", "application/json; charset=utf-16",
                                                          "application/jsonx", "application/json;;;=", "",
                                                          "multipart/form-data; boundary=x"};
      if (pick(4) == 0) remove("Content-Type");
      else set("Content-Type", std::string(kTypes[pick(kTypes.size())]));
      return "header:content-type";
    }
    case 5:
      switch (pick(6)) {
        case 0: parts.headers.emplace_back("Bad Header", "x"); break;
        case 1: parts.headers.emplace_back("", "x"); break;
        case 2: parts.headers.emplace_back(std::string("X\0Y", 3), "z"); break;
        case 3: parts.headers.emplace_back("X-Folded", "a\r\n folded"); break;
        case 4: parts.headers.emplace_back("X-Bytes", random_bytes(1 + pick(100))); break;
        default: parts.headers.emplace_back(random_bytes(1 + pick(20)), random_bytes(pick(20)));
      }
      return "header:malformed";
    case 6: {
      const size_t count = 50 + pick(2'000);
      for (size_t i = 0; i < count; ++i) parts.headers.emplace_back("X-Many-" + std::to_string(i), "v");
      return "header:many";
    }
    case 7:
      parts.headers.emplace_back("X-Long", std::string(4'000 + pick(40'000), 'v'));
      return "header:long";
    case 8:
      switch (pick(4)) {
        case 0: set("Expect", pick(2) ? "100-continue" : "something-else"); break;
        case 1: set("Idempotency-Key", pick(2) ? token(1, 300, kPrintable) : random_bytes(1 + pick(40))); break;
        case 2:
          set("Connection", pick(2) ? "keep-alive, Upgrade" : "close, close");
          parts.headers.emplace_back("Upgrade", "h2c");
          break;
        default:
          remove("Host");
          if (pick(2)) {
            parts.headers.emplace_back("Host", "a");
            parts.headers.emplace_back("Host", "b");
          }
      }
      return "header:semantics";
    default:
      // Trailer fields never authenticate: the key arrives only after a chunked body.
      remove("Authorization");
      parts.chunked = true;
      parts.headers.emplace_back("Trailer", "Authorization");
      parts.body += std::string("\x01trailer:Authorization: Bearer ") + api_key_;
      return "header:trailer-auth";
  }
}

std::string RequestFuzzer::mutate_body(Parts& parts) {
  JobText job;
  std::string kind;
  switch (pick(14)) {
    case 0:
      job.config.emplace_back(std::string(kNumericFields[pick(kNumericFields.size())]), random_number_text());
      kind = "body:number";
      break;
    case 1: {
      static const std::array<std::string_view, 7> kValues{R"("text")", "[]", "{}", "null", "true", R"("")",
                                                           R"([1,2,3])"};
      const std::string value(kValues[pick(kValues.size())]);
      switch (pick(4)) {
        case 0: job.config.emplace_back(std::string(kNumericFields[pick(kNumericFields.size())]), value); break;
        case 1: job.job_type = value; break;
        case 2: job.mode = value; break;
        default: job.top_extra = R"(,"webhook_url":)" + value;
      }
      kind = "body:type";
      break;
    }
    case 2: {
      const size_t count = 1 + pick(40'000);
      for (size_t i = 0; i < count; ++i) job.config_extra += ",\"unknown_" + std::to_string(i) + "\":" + std::to_string(i);
      kind = "body:many-unknown-fields";
      break;
    }
    case 3: {
      const size_t count = 1 + pick(20'000);
      job.config_extra = R"(,"energy_sources":[)";
      for (size_t i = 0; i < count; ++i) job.config_extra += std::string(i ? "," : "") + R"({"x":-1,"y":2,"radius":9})";
      job.config_extra += "]";
      kind = "body:many-bad-items";
      break;
    }
    case 4: {
      const size_t depth = 1 + pick(100'000);
      parts.body = R"({"job_type":"run_simulation","params":)" + std::string(depth, '[') + std::string(depth, ']') + "}";
      return "body:deep";
    }
    case 5: {
      job.mode = "\"" + std::string(1 + pick(900'000), 'm') + "\"";
      kind = "body:long-string";
      break;
    }
    case 6: {
      const std::string whole = job.render();
      parts.body = whole.substr(0, pick(whole.size()));
      return "body:truncated";
    }
    case 7: {
      parts.body = job.render();
      const size_t flips = 1 + pick(8);
      for (size_t i = 0; i < flips; ++i) parts.body[pick(parts.body.size())] = static_cast<char>(pick(256));
      return "body:flipped-bytes";
    }
    case 8:
      parts.body = pick(2) ? random_bytes(pick(4'000)) : token(0, 4'000, kPrintable);
      return "body:random";
    case 9: {
      static const std::array<std::string_view, 8> kStrings{R"("\ud800")", R"("\u0000")", R"("open_chemistry\u0000")",
                                                            R"("\uDFFF\uD800")", "\"\xff\xfe\"", R"("\x")",
                                                            R"("OPEN_CHEMISTRY")", R"("preset_prebiotic")"};
      (pick(2) ? job.mode : job.job_type) = kStrings[pick(kStrings.size())];
      kind = "body:strings";
      break;
    }
    case 10:
      job.top_extra = R"(,"webhook_url":")" + std::string(kWebhookUrls[pick(kWebhookUrls.size())]) + "\"";
      kind = "body:webhook";
      break;
    case 11:
      parts.body = R"({"job_type":"run_simulation","job_type":"x","params":{"simulation_config":{"mode":)"
                   R"("open_chemistry","config":{"num_particles":100,"num_particles":-5,"steps":300}}}})";
      return "body:duplicate-keys";
    case 12: {
      static const std::array<std::string_view, 8> kWhole{"", "null", "[]", "1", R"("x")", "{", "{}", "\xef\xbb\xbf{}"};
      parts.body = kWhole[pick(kWhole.size())];
      return "body:whole";
    }
    default: {
      // A valid tiny job with random parameters from the whole accepted range of each.
      job.config = {{"num_particles", std::to_string(2 + pick(299))},
                    {"steps", std::to_string(1 + pick(300))},
                    {"temperature", std::to_string(1 + pick(5'000))},
                    {"dt_fs", std::to_string(0.008 + 1.592 * static_cast<double>(pick(1'001)) / 1'000.0)},
                    {"density", std::to_string(0.01 + 0.89 * static_cast<double>(pick(1'001)) / 1'000.0)}};
      kind = "body:valid";
    }
  }
  parts.body = job.render();
  return kind;
}

std::string RequestFuzzer::render(const Parts& parts) {
  std::string body = parts.body;
  std::string trailer;
  if (const size_t at = body.find("\x01trailer:"); at != std::string::npos) {
    trailer = body.substr(at + 9) + "\r\n";
    body.erase(at);
  }
  std::string out = parts.method + " " + parts.target + " " + parts.version + "\r\n";
  for (const auto& [name, value] : parts.headers) out += name + ": " + value + "\r\n";
  if (parts.chunked && !parts.raw_framing) out += "Transfer-Encoding: chunked\r\n";
  if (!parts.chunked && !parts.raw_framing) out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  out += "\r\n";
  if (!parts.chunked) return out + body;
  for (size_t at = 0; at < body.size(); at += 4'096) {
    const std::string piece = body.substr(at, 4'096);
    char size[32];
    std::snprintf(size, sizeof size, "%zx", piece.size());
    out += std::string(size) + "\r\n" + piece + "\r\n";
  }
  return out + "0\r\n" + trailer + "\r\n";
}

FuzzCase RequestFuzzer::next() {
  Parts parts = legitimate();
  FuzzCase fuzz_case;
  switch (pick(3)) {
    case 0: fuzz_case.kind = mutate_request_line(parts); break;
    case 1: fuzz_case.kind = mutate_headers(parts); break;
    default: fuzz_case.kind = mutate_body(parts);
  }
  fuzz_case.bytes = render(parts);
  return fuzz_case;
}

}  // namespace live2::hostile
