#include "services/redis/resp.h"

#include <charconv>

namespace orderwatch::redis {
namespace {

size_t Digits(size_t n) {
  size_t d = 1;
  while (n >= 10) {
    n /= 10;
    ++d;
  }
  return d;
}

void AppendHeader(std::string& out, char kind, size_t n) {
  char buf[24];
  buf[0] = kind;
  char* end = std::to_chars(buf + 1, buf + sizeof(buf) - 2, n).ptr;
  *end++ = '\r';
  *end++ = '\n';
  out.append(buf, end);
}

}  // namespace

std::string EncodeCommand(const std::vector<std::string>& argv) {
  size_t size = 3 + Digits(argv.size());
  for (const std::string& a : argv) size += 5 + Digits(a.size()) + a.size();
  std::string out;
  out.reserve(size);
  AppendHeader(out, '*', argv.size());
  for (const std::string& a : argv) {
    AppendHeader(out, '$', a.size());
    out.append(a);
    out.append("\r\n", 2);
  }
  return out;
}

}  // namespace orderwatch::redis
