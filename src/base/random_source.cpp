#include "base/random_source.h"

#include <openssl/rand.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace live2 {

SeededRandomSource::SeededRandomSource(RandomSource& seed_source) {
  seed_source.fill(reinterpret_cast<uint8_t*>(&state_), sizeof state_);
}

void SeededRandomSource::fill(uint8_t* out, size_t size) {
  for (size_t offset = 0; offset < size; offset += sizeof(uint64_t)) {
    // SplitMix64 (Steele, Lea, Flood 2014): a Weyl sequence through a bijective mixer, so no value repeats
    // within 2^64 draws.
    uint64_t mixed = (state_ += 0x9e3779b97f4a7c15ULL);
    mixed = (mixed ^ (mixed >> 30)) * 0xbf58476d1ce4e5b9ULL;
    mixed = (mixed ^ (mixed >> 27)) * 0x94d049bb133111ebULL;
    mixed ^= mixed >> 31;
    std::memcpy(out + offset, &mixed, std::min(sizeof mixed, size - offset));
  }
}

void OsRandomSource::fill(uint8_t* out, size_t size) {
  if (RAND_bytes(out, static_cast<int>(size)) != 1) throw std::runtime_error("OpenSSL RAND_bytes failed");
}

}  // namespace live2
