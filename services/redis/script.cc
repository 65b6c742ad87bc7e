#include "services/redis/script.h"

#include <openssl/sha.h>

namespace orderwatch::redis {

Script::Script(std::string name, std::string_view body) : name_(std::move(name)), body_(body) {
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(body_.data()), body_.size(), digest);
  static constexpr char kHex[] = "0123456789abcdef";
  sha1_.reserve(2 * SHA_DIGEST_LENGTH);
  for (unsigned char b : digest) {
    sha1_.push_back(kHex[b >> 4]);
    sha1_.push_back(kHex[b & 0xf]);
  }
}

}  // namespace orderwatch::redis
