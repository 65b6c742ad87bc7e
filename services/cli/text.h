// Small string helpers: std::string_view-friendly concatenation (Debian's absl::string_view is
// not std::string_view) and terminal display width of UTF-8 text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace orderwatch::cli {

inline absl::string_view Absl(std::string_view s) { return absl::string_view(s.data(), s.size()); }

template <typename T>
decltype(auto) AlphaNumArg(const T& value) {
  if constexpr (std::is_same_v<T, std::string_view>) {
    return Absl(value);
  } else {
    return (value);
  }
}

// absl::StrCat that also takes std::string_view.
template <typename... Args>
std::string Cat(const Args&... args) {
  return absl::StrCat(AlphaNumArg(args)...);
}

template <typename... Args>
void Append(std::string* out, const Args&... args) {
  absl::StrAppend(out, AlphaNumArg(args)...);
}

// Columns UTF-8 text takes on a terminal: East Asian wide characters count 2.
int DisplayWidth(std::string_view utf8);

// Cuts text to at most `width` columns, ending in "…" when cut; never splits a character.
std::string TruncateToWidth(std::string_view utf8, int width);

// Pads with spaces on the right to `width` columns.
std::string PadToWidth(std::string_view utf8, int width);

// Replaces line breaks by " | " so text fits on one line.
std::string OneLine(std::string_view text);

// "SOURCE_AGENT" -> "agent", "ORDER_STATE_PENDING_PAYMENT" -> "pending-payment" (the number
// when the name is empty).
std::string ShortEnumName(const std::string& full, std::string_view prefix, int number);

// "15.00 CNY" from minor units.
std::string Amount(int64_t fen, const std::string& currency);

// "more: --page-token T" when there is a next page.
std::string MorePages(const std::string& token);

using Row = std::vector<std::string>;
// Columns padded to their widest cell (in display columns), two spaces apart; no trailing spaces.
std::string Table(const std::vector<Row>& rows);

}  // namespace orderwatch::cli
