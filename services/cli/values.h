// Typed values of command-line options. Errors are INVALID_ARGUMENT naming the option.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "orderwatch/v1/common.pb.h"
#include "services/cli/args.h"

namespace orderwatch::cli {

// `option` is the option's name without "--", used in error messages.
absl::StatusOr<int64_t> ParseNonNegativeInt64(std::string_view option, std::string_view value);
absl::StatusOr<int32_t> ParseInt32(std::string_view option, std::string_view value);
absl::StatusOr<int32_t> ParsePositiveInt32(std::string_view option, std::string_view value);

// Seconds, fractions allowed, > 0.
absl::StatusOr<absl::Duration> ParseTimeout(std::string_view value);

// Milliseconds since the Unix epoch, "now", "now+DURATION", "now-DURATION" (DURATION as "30m",
// "1h30m", "2.5h") or RFC 3339 ("2026-11-11T00:00:00+08:00").
absl::StatusOr<int64_t> ParseTimeMs(std::string_view option, std::string_view value,
                                    absl::Time now);

// The time option `option` of a command line, parsed as ParseTimeMs does, if it was given;
// *out is left alone otherwise.
absl::Status TimeOption(const Invocation& inv, std::string_view option, absl::Time now,
                        int64_t* out);

// What services/common/flags.h accepts.
absl::StatusOr<v1::Flag> ParseFlagOption(std::string_view option, std::string_view value);
absl::StatusOr<v1::Platform> ParsePlatformOption(std::string_view option, std::string_view value);

// A random id of 16 lowercase hex digits, for request and event ids.
std::string RandomHexId();

}  // namespace orderwatch::cli
