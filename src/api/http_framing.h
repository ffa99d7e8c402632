// How a request's body is framed, checked on its parsed header before any body byte is read (RFC 9112 section 6).
// Beast's parser frames by the last transfer coding and tolerates the rest; a proxy in front may frame the same
// bytes differently (request smuggling), so anything ambiguous is refused and the server closes the connection.
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"

namespace live2::api {

// `headers`: names lower-case, in arrival order; `http_version` as 10 or 11. Errors: `bad_request` (400) for
// Transfer-Encoding on HTTP/1.0, with Content-Length, without chunked as its final coding or with chunked twice,
// and for more than one Content-Length or one that is not a plain decimal number; `not_implemented` (501) for a
// transfer coding other than chunked.
Status check_request_framing(unsigned http_version, const std::vector<std::pair<std::string, std::string>>& headers);

// Whether a header section continues a field line on the next line (obs-fold: a line starting with space or tab),
// which RFC 9112 section 5.2 lets a server refuse with 400; Beast would join the lines silently.
bool has_obs_fold(std::string_view header_section);

}  // namespace live2::api
