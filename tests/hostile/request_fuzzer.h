// RequestFuzzer: a seeded generator of hostile variations of one legitimate request, POST /api/v1/jobs with a small
// simulation. Each case mutates the request line, the header fields or the JSON body (or its framing) with one of a
// fixed set of mutators, so a seed and a case number reproduce a case exactly. The bytes are whole requests, sent
// as they are (Content-Length follows the body unless the case is about framing). Webhook URLs it writes are only
// internal or malformed, never a name to resolve: an accepted job must not reach beyond 127.0.0.1.
// Not thread-safe (one generator per thread).
#pragma once

#include <cstdint>
#include <random>
#include <string>

namespace live2::hostile {

struct FuzzCase {
  std::string kind;   // the mutator, e.g. "body:number" or "header:transfer-encoding"
  std::string bytes;  // the request as sent
};

class RequestFuzzer {
 public:
  RequestFuzzer(uint64_t seed, std::string api_key);

  FuzzCase next();

 private:
  struct Parts {
    std::string method = "POST";
    std::string target = "/api/v1/jobs";
    std::string version = "HTTP/1.1";
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    bool chunked = false;  // send the body chunked instead of with Content-Length
    bool raw_framing = false;  // the headers already say how the body is framed (or lie about it)
  };

  Parts legitimate() const;
  std::string mutate_request_line(Parts& parts);
  std::string mutate_headers(Parts& parts);
  std::string mutate_body(Parts& parts);
  std::string render(const Parts& parts);

  size_t pick(size_t count) { return std::uniform_int_distribution<size_t>(0, count - 1)(random_); }
  std::string token(size_t min_length, size_t max_length, std::string_view alphabet);
  std::string random_bytes(size_t count);
  std::string random_number_text();

  std::mt19937_64 random_;
  const std::string api_key_;
};

}  // namespace live2::hostile
