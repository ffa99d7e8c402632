// Records the HTTP exchanges tests have with the `live2 serve` processes they start, for the contract check
// (tests/contract/check_exchanges.py validates them against docs/openapi.yaml). Off unless the environment names a
// directory in LIVE2_API_RECORD_DIR (CTest sets it for the integration tests); then each test process appends one
// JSON object per line to <dir>/<program>-<pid>.jsonl. Only exchanges with a base URL passed to
// record_exchanges_with() are recorded (ServerProcess registers its own), so calls to fakes and receivers are not.
// Thread-safe.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "support/http_client.h"

namespace live2::testing {

// From now on, exchanges whose URL starts with `base_url` (e.g. "http://127.0.0.1:41234") are recorded.
void record_exchanges_with(const std::string& base_url);

// Appends the exchange when recording is on and the URL is registered. `stopped_early`: the caller ended a stream
// before the server did, so the body may end in the middle of an event.
void record_exchange(const HttpRequest& request, const HttpResponse& response, bool stopped_early);

// Raw connections of tests that write HTTP by hand (RawConnection, tests/api/server_test_helpers.h): the bytes sent
// on connection `fd` to loopback `port` are kept; record_raw_received() splits what was received into answers,
// pairs each with the next request sent and records them (an answer to bytes that are no request gets an empty
// method and target); end_raw_connection() drops the connection's state.
void note_raw_connection(int fd, int port);
void note_raw_sent(int fd, std::string_view bytes);
void record_raw_received(int fd, std::string_view bytes);
void end_raw_connection(int fd);

// A webhook delivery a test's receiver got, checked against the document's `webhooks` (CTest turns recording on
// only for tests whose deliveries come from a real server).
void record_webhook_delivery(const std::map<std::string, std::string>& headers, std::string_view body);

}  // namespace live2::testing
