#include "services/cli/text.h"

#include <algorithm>
#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"

namespace orderwatch::cli {
namespace {

// Decodes the UTF-8 character at text[*i] and advances *i; invalid bytes decode as one column.
char32_t NextCodePoint(std::string_view text, size_t* i) {
  const auto byte = static_cast<unsigned char>(text[*i]);
  int extra = 0;
  char32_t cp = byte;
  if (byte >= 0xC0 && byte < 0xE0) {
    extra = 1;
    cp = byte & 0x1F;
  } else if (byte >= 0xE0 && byte < 0xF0) {
    extra = 2;
    cp = byte & 0x0F;
  } else if (byte >= 0xF0 && byte < 0xF8) {
    extra = 3;
    cp = byte & 0x07;
  }
  if (*i + extra >= text.size() && extra > 0) {  // truncated sequence
    ++*i;
    return U'?';
  }
  for (int k = 1; k <= extra; ++k) {
    const auto cont = static_cast<unsigned char>(text[*i + k]);
    if ((cont & 0xC0) != 0x80) {
      ++*i;
      return U'?';
    }
    cp = (cp << 6) | (cont & 0x3F);
  }
  *i += extra + 1;
  return cp;
}

int CodePointWidth(char32_t cp) {
  if (cp < 0x1100) return 1;
  const bool wide = (cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
                    (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
                    (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
                    (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1FAFF) ||
                    (cp >= 0x20000 && cp <= 0x3FFFD);
  return wide ? 2 : 1;
}

}  // namespace

int DisplayWidth(std::string_view utf8) {
  int width = 0;
  for (size_t i = 0; i < utf8.size();) width += CodePointWidth(NextCodePoint(utf8, &i));
  return width;
}

std::string TruncateToWidth(std::string_view utf8, int width) {
  if (DisplayWidth(utf8) <= width) return std::string(utf8);
  constexpr std::string_view kEllipsis = "…";
  int used = 0;
  size_t i = 0;
  while (i < utf8.size()) {
    size_t next = i;
    const int w = CodePointWidth(NextCodePoint(utf8, &next));
    if (used + w > width - 1) break;  // keep one column for the ellipsis
    used += w;
    i = next;
  }
  std::string out(utf8.substr(0, i));
  out.append(kEllipsis);
  return out;
}

std::string PadToWidth(std::string_view utf8, int width) {
  std::string out(utf8);
  const int w = DisplayWidth(utf8);
  if (w < width) out.append(static_cast<size_t>(width - w), ' ');
  return out;
}

std::string OneLine(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') continue;
    if (text[i] == '\n') {
      if (i + 1 < text.size()) out.append(" | ");
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

std::string ShortEnumName(const std::string& full, std::string_view prefix, int number) {
  if (full.empty()) return Cat(number);
  std::string name = full.substr(full.rfind(std::string(prefix), 0) == 0 ? prefix.size() : 0);
  absl::AsciiStrToLower(&name);
  std::replace(name.begin(), name.end(), '_', '-');
  return name;
}

std::string Amount(int64_t fen, const std::string& currency) {
  const char* sign = fen < 0 ? "-" : "";
  const uint64_t abs = fen < 0 ? 0 - static_cast<uint64_t>(fen) : static_cast<uint64_t>(fen);
  std::string out = absl::StrFormat("%s%d.%02d", sign, abs / 100, abs % 100);
  if (!currency.empty()) Append(&out, " ", currency);
  return out;
}

std::string MorePages(const std::string& token) {
  return token.empty() ? "" : Cat("more: --page-token ", token, "\n");
}

std::string Table(const std::vector<Row>& rows) {
  std::vector<int> widths(rows.empty() ? 0 : rows[0].size(), 0);
  for (const Row& row : rows) {
    for (size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], DisplayWidth(row[c]));
  }
  std::string out;
  for (const Row& row : rows) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c) {
      if (c + 1 < row.size()) {
        Append(&line, PadToWidth(row[c], widths[c]), "  ");
      } else {
        Append(&line, row[c]);
      }
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    Append(&out, line, "\n");
  }
  return out;
}

}  // namespace orderwatch::cli
