#include "loadtest/event_load.h"

#include <chrono>
#include <fstream>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "orderwatch/v1/reminders.grpc.pb.h"

namespace orderwatch::load {

std::unique_ptr<grpc::ClientContext> Context(const char* role) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->AddMetadata("x-orderwatch-shop", "loadshop");
  ctx->AddMetadata("x-orderwatch-agent", "load");
  ctx->AddMetadata("x-orderwatch-role", role);
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  return ctx;
}

std::string SetLoadReminderPolicy(const std::shared_ptr<grpc::Channel>& channel,
                                  int after_order_minutes, int flash_sale_minutes,
                                  int max_per_order) {
  auto stub = v1::Reminders::NewStub(channel);
  v1::SetReminderPolicyRequest set;
  if (grpc::Status s = stub->GetPolicy(Context("supervisor").get(), {}, set.mutable_policy());
      !s.ok()) {
    return "GetPolicy: " + s.error_message();
  }
  v1::ReminderPolicy* p = set.mutable_policy();
  p->set_window_start("00:00");
  p->set_window_end("00:00");
  p->set_pre_close_minutes(0);
  p->set_after_order_minutes(after_order_minutes);
  p->set_flash_sale_minutes(flash_sale_minutes);
  p->set_max_per_order(max_per_order);
  v1::ReminderPolicy out;
  if (grpc::Status s = stub->SetPolicy(Context("supervisor").get(), set, &out); !s.ok()) {
    return "SetPolicy: " + s.error_message();
  }
  return "";
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
