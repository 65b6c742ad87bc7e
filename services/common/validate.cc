#include "services/common/validate.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace orderwatch {
namespace {

absl::string_view Sv(std::string_view s) { return absl::string_view(s.data(), s.size()); }

bool IsIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-' || c == '@';
}

// Returns the offset of the first byte that is not valid UTF-8, or npos.
size_t FirstInvalidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t n;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      n = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return i;
    }
    if (i + n >= s.size()) return i;  // truncated sequence
    for (size_t k = 1; k <= n; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
      return i;
    }
    i += n + 1;
  }
  return std::string_view::npos;
}

}  // namespace

absl::Status InvalidField(std::string_view field, std::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat(Sv(field), ": ", Sv(problem)));
}

absl::Status ValidateId(std::string_view field, std::string_view value) {
  if (value.empty()) return InvalidField(field, "is required");
  if (value.size() > 64) return InvalidField(field, "is longer than 64 characters");
  for (char c : value) {
    if (!IsIdChar(c)) {
      return InvalidField(field, "may hold only letters, digits and _ . @ -");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateOptionalId(std::string_view field, std::string_view value) {
  return value.empty() ? absl::OkStatus() : ValidateId(field, value);
}

absl::Status ValidateText(std::string_view field, std::string_view value, size_t max_bytes) {
  if (value.size() > max_bytes) {
    return InvalidField(
        field, absl::StrCat("is ", value.size(), " bytes; at most ", max_bytes, " are allowed"));
  }
  if (size_t bad = FirstInvalidUtf8(value); bad != std::string_view::npos) {
    return InvalidField(field, absl::StrCat("is not valid UTF-8 (at byte ", bad, ")"));
  }
  for (size_t i = 0; i < value.size(); ++i) {
    const auto c = static_cast<unsigned char>(value[i]);
    const bool c0 = (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F;
    // U+0080-U+009F, in UTF-8 0xC2 0x80-0x9F: terminals act on some of them.
    const bool c1 =
        c == 0xC2 && i + 1 < value.size() && static_cast<unsigned char>(value[i + 1]) < 0xA0;
    if (c0 || c1) return InvalidField(field, absl::StrCat("holds a control character at byte ", i));
  }
  return absl::OkStatus();
}

absl::Status ValidateLine(std::string_view field, std::string_view value, size_t max_bytes) {
  if (auto s = ValidateText(field, value, max_bytes); !s.ok()) return s;
  if (size_t at = value.find_first_of("\t\r\n"); at != std::string_view::npos) {
    return InvalidField(field,
                        absl::StrCat("must be one line (a tab or line break at byte ", at, ")"));
  }
  return absl::OkStatus();
}

absl::StatusOr<absl::CivilDay> ParseDay(std::string_view field, std::string_view text) {
  // absl::ParseCivilTime alone takes signs, spaces and any number of year digits.
  const bool shaped = text.size() == 10 && text[4] == '-' && text[7] == '-' &&
                      std::all_of(text.begin(), text.end(),
                                  [](char c) { return c == '-' || (c >= '0' && c <= '9'); });
  absl::CivilDay day;
  if (!shaped || !absl::ParseCivilTime(Sv(text), &day)) {
    return InvalidField(field, "is not a date YYYY-MM-DD");
  }
  if (day.year() < 2000 || day.year() > 2099) {
    return InvalidField(field, "must be between 2000-01-01 and 2099-12-31");
  }
  return day;
}

absl::Status ValidateUnixMs(std::string_view field, int64_t value) {
  constexpr int64_t kYear2000 = 946684800000LL;
  constexpr int64_t kYear2100 = 4102444800000LL;
  if (value < kYear2000 || value >= kYear2100) {
    return InvalidField(field, absl::StrCat(value,
                                            " is not a unix time in milliseconds between 2000 "
                                            "and 2100"));
  }
  return absl::OkStatus();
}

absl::Status ValidateOptionalUnixMs(std::string_view field, int64_t value) {
  return value == 0 ? absl::OkStatus() : ValidateUnixMs(field, value);
}

}  // namespace orderwatch
