#include "services/cli/text.h"

#include <cstdint>

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

}  // namespace orderwatch::cli
