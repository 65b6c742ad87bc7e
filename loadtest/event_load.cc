#include "loadtest/event_load.h"

#include <chrono>
#include <fstream>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"

namespace orderwatch::load {

std::unique_ptr<grpc::ClientContext> Context(const char* role) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->AddMetadata("x-orderwatch-shop", "loadshop");
  ctx->AddMetadata("x-orderwatch-agent", "load");
  ctx->AddMetadata("x-orderwatch-role", role);
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  return ctx;
}

long long RedisInt(redisContext* c, const std::string& command, const std::string& field) {
  auto* r = static_cast<redisReply*>(redisCommand(c, command.c_str()));
  long long out = -1;
  if (r != nullptr && r->type == REDIS_REPLY_INTEGER) out = r->integer;
  if (r != nullptr && r->type == REDIS_REPLY_STRING && !field.empty()) {
    for (absl::string_view line : absl::StrSplit(absl::string_view(r->str, r->len), "\r\n")) {
      if (absl::StartsWith(line, field + ":")) {
        (void)absl::SimpleAtoi(line.substr(field.size() + 1), &out);
      }
    }
  }
  if (r != nullptr) freeReplyObject(r);
  return out;
}

size_t Lines(const std::string& path) {
  std::ifstream in(path);
  size_t n = 0;
  for (std::string line; std::getline(in, line);) ++n;
  return n;
}

}  // namespace orderwatch::load
