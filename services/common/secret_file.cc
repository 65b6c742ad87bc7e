#include "services/common/secret_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace orderwatch {

absl::StatusOr<std::string> ReadSecretFile(absl::string_view setting, const std::string& path,
                                           size_t min_bytes) {
  std::FILE* f = std::fopen(path.c_str(), "r");
  if (f == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(setting, ": cannot open ", path, ": ", std::strerror(errno)));
  }
  char buffer[4097];
  const size_t n = std::fread(buffer, 1, sizeof(buffer), f);
  std::fclose(f);
  if (n == sizeof(buffer)) {
    return absl::InvalidArgumentError(absl::StrCat(setting, ": ", path, " is over 4 KiB"));
  }
  std::string secret(absl::StripTrailingAsciiWhitespace(absl::string_view(buffer, n)));
  if (secret.size() < min_bytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(setting, ": ", path, " holds fewer than ", min_bytes, " bytes"));
  }
  return secret;
}

absl::StatusOr<std::string> ReadPemFile(absl::string_view setting, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::InvalidArgumentError(absl::StrCat(setting, ": cannot read ", path));
  std::ostringstream body;
  body << in.rdbuf();
  if (body.str().find("-----BEGIN ") == std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat(setting, ": ", path, " is not PEM"));
  }
  return body.str();
}

}  // namespace orderwatch
