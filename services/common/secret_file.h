// Credentials kept in files: secrets (a signing secret, a password: never a flag or an
// environment value, which other users of the machine can read from the process list or /proc),
// and PEM keys and certificates.
#pragma once

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace orderwatch {

// The file's content without trailing whitespace (a final newline). INVALID_ARGUMENT naming
// `setting` when it cannot be read, is larger than 4 KiB or holds fewer than `min_bytes`.
absl::StatusOr<std::string> ReadSecretFile(absl::string_view setting, const std::string& path,
                                           size_t min_bytes);

// A PEM file's content (certificates, keys). INVALID_ARGUMENT "<setting>: cannot read <path>"
// or "<setting>: <path> is not PEM".
absl::StatusOr<std::string> ReadPemFile(absl::string_view setting, const std::string& path);

}  // namespace orderwatch
