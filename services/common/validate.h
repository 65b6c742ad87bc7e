// Input checks shared by all services. Errors are INVALID_ARGUMENT and start with the field name.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"

namespace orderwatch {

// Ids (order, buyer, event, request, shop, agent): 1-64 of [A-Za-z0-9_.@-].
absl::Status ValidateId(std::string_view field, std::string_view value);
// Like ValidateId, but an empty value is allowed.
absl::Status ValidateOptionalId(std::string_view field, std::string_view value);
// Valid UTF-8 of at most max_bytes, without control characters (C0 and C1) other than tab, CR
// and LF.
absl::Status ValidateText(std::string_view field, std::string_view value, size_t max_bytes);
// The same on one line: no tab, CR or LF either (names and reasons shown in lists and messages).
absl::Status ValidateLine(std::string_view field, std::string_view value, size_t max_bytes);
// A date written YYYY-MM-DD, between 2000-01-01 and 2099-12-31.
absl::StatusOr<absl::CivilDay> ParseDay(std::string_view field, std::string_view text);
// A unix time in milliseconds between 2000-01-01 and 2100-01-01.
absl::Status ValidateUnixMs(std::string_view field, int64_t value);
// As ValidateUnixMs, but 0 means "not given".
absl::Status ValidateOptionalUnixMs(std::string_view field, int64_t value);

absl::Status InvalidField(std::string_view field, std::string_view problem);

}  // namespace orderwatch
