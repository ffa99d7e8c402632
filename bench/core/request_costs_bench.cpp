// live2-bench-core: what core adds to every API request. The API key's SHA-256 (OpenSSL 3 resolves EVP_sha256()
// at every call unless the method is fetched once, as live2's sha256_hex does) and the request id (OpenSSL's
// CSPRNG against the per-thread SeededRandomSource the API uses). Prints Google Benchmark's table.
//   build/bin/live2-bench-core
#include <benchmark/benchmark.h>
#include <openssl/evp.h>

#include <array>
#include <string>

#include "base/hashing.h"
#include "base/random_source.h"
#include "core/ids.h"

namespace {

const std::string kApiKey = "sk_live_0123456789abcdef0123456789abcdef";

void DigestWithImplicitLookup(benchmark::State& state) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  for (auto _ : state) {
    EVP_Digest(kApiKey.data(), kApiKey.size(), digest.data(), &length, EVP_sha256(), nullptr);
    benchmark::DoNotOptimize(digest);
  }
}

void DigestWithFetchedMethod(benchmark::State& state) {
  EVP_MD* method = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  for (auto _ : state) {
    EVP_Digest(kApiKey.data(), kApiKey.size(), digest.data(), &length, method, nullptr);
    benchmark::DoNotOptimize(digest);
  }
  EVP_MD_free(method);
}

void Live2Sha256Hex(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(live2::sha256_hex(kApiKey));
}

void RequestIdFromOsRandom(benchmark::State& state) {
  live2::OsRandomSource random;
  for (auto _ : state) benchmark::DoNotOptimize(live2::new_random_id("req_", random));
}

void RequestIdFromSeededStream(benchmark::State& state) {
  live2::OsRandomSource seed;
  live2::SeededRandomSource random(seed);
  for (auto _ : state) benchmark::DoNotOptimize(live2::new_random_id("req_", random));
}

}  // namespace

BENCHMARK(DigestWithImplicitLookup);
BENCHMARK(DigestWithFetchedMethod);
BENCHMARK(Live2Sha256Hex);
BENCHMARK(RequestIdFromOsRandom);
BENCHMARK(RequestIdFromSeededStream);
BENCHMARK_MAIN();
