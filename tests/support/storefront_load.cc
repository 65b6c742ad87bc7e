#include "tests/support/storefront_load.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "orderwatch/v1/order_events.grpc.pb.h"
#include "orderwatch/v1/remarks.grpc.pb.h"
#include "orderwatch/v1/reminders.grpc.pb.h"

namespace orderwatch::testing {

using namespace std::chrono_literals;

namespace {

constexpr int kOrders = StorefrontLoad::kOrders;
constexpr int kShipments = StorefrontLoad::kShipments;
constexpr int kChunks = StorefrontLoad::kChunks;
constexpr absl::Duration kChunkEvery = absl::Milliseconds(250);
std::unique_ptr<grpc::ClientContext> Context(const std::string& role = "storefront",
                                             std::chrono::milliseconds timeout = 2000ms) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->AddMetadata("x-orderwatch-shop", "shop1");
  ctx->AddMetadata("x-orderwatch-agent", "web");
  ctx->AddMetadata("x-orderwatch-role", role);
  ctx->set_deadline(std::chrono::system_clock::now() + timeout);
  return ctx;
}

std::string R(int i) { return absl::StrCat("r", i); }
std::string S(int i) { return absl::StrCat("s", i); }

// Calls until OK, on the other server after each failure; false after a minute or on an answer
// that a retry cannot change (a test failure).
template <typename Call>
bool UntilOk(Fleet& fleet, std::atomic<int>& retries, Call call) {
  const absl::Time give_up = absl::Now() + absl::Seconds(60);
  for (int attempt = 0; absl::Now() < give_up; ++attempt) {
    const grpc::Status s = call(fleet.Channel(attempt));
    if (s.ok()) return true;
    switch (s.error_code()) {
      case grpc::StatusCode::UNAVAILABLE:
      case grpc::StatusCode::DEADLINE_EXCEEDED:
      case grpc::StatusCode::RESOURCE_EXHAUSTED:
      case grpc::StatusCode::CANCELLED:
      case grpc::StatusCode::UNKNOWN:
        ++retries;
        std::this_thread::sleep_for(50ms);
        continue;
      default:
        ADD_FAILURE() << s.error_code() << ": " << s.error_message();
        return false;
    }
  }
  ADD_FAILURE() << "no server took the call within a minute";
  return false;
}

grpc::Status RecordAll(const std::shared_ptr<grpc::Channel>& channel,
                       const v1::RecordEventBatchRequest& req) {
  v1::RecordEventBatchResponse resp;
  grpc::Status s = v1::OrderEvents::NewStub(channel)->RecordBatch(Context().get(), req, &resp);
  if (!s.ok()) return s;
  for (const auto& r : resp.results()) {
    // An event refused by an unavailable Redis is retried with the batch; the others repeat
    // harmlessly (their ids were seen).
    if (r.code() != 0) return grpc::Status(static_cast<grpc::StatusCode>(r.code()), r.message());
  }
  return grpc::Status::OK;
}

void AddCreated(v1::RecordEventBatchRequest& req, const std::string& order, int64_t at,
                int64_t amount) {
  auto* e = req.add_events();
  e->set_event_id("c");
  e->set_order_id(order);
  e->set_event_unix_ms(at);
  auto* c = e->mutable_created();
  c->set_amount_fen(amount);
  c->set_buyer_id("b" + order);
  c->set_created_unix_ms(at);
  c->set_auto_close_unix_ms(at + 24 * 3600 * 1000LL);
}

void AddPaid(v1::RecordEventBatchRequest& req, const std::string& order, int64_t at) {
  auto* e = req.add_events();
  e->set_event_id("p");
  e->set_order_id(order);
  e->set_event_unix_ms(at);
  e->mutable_paid();
}

}  // namespace

v1::SetReminderPolicyRequest AnyHourPolicy(v1::ReminderPolicy current) {
  v1::SetReminderPolicyRequest set;
  current.clear_version();
  current.set_window_start("00:00");
  current.set_window_end("00:00");
  current.set_after_order_minutes(10);
  current.set_pre_close_minutes(0);
  current.set_max_per_order(1);
  *set.mutable_policy() = std::move(current);
  return set;
}

void SetAnyHourPolicy(Fleet& fleet, StorefrontLoad& load) {
  ASSERT_TRUE(UntilOk(fleet, load.retries, [](const std::shared_ptr<grpc::Channel>& channel) {
    auto stub = v1::Reminders::NewStub(channel);
    v1::ReminderPolicy policy;
    grpc::Status s = stub->GetPolicy(Context("supervisor").get(), {}, &policy);
    if (!s.ok()) return s;
    v1::ReminderPolicy out;
    return stub->SetPolicy(Context("supervisor").get(), AnyHourPolicy(policy), &out);
  }));
}

// kChunks chunks, one every 250 ms: each creates 50 r-orders (created 11 minutes ago), adds a
// remark line to each, pays the even ones, and creates and pays 20 s-orders.
void RunStorefrontLoad(Fleet& fleet, StorefrontLoad& load) {
  const int per = kOrders / kChunks, ship_per = kShipments / kChunks;
  const absl::Time start = absl::Now();
  for (int c = 0; c < kChunks; ++c) {
    const int64_t now = absl::ToUnixMillis(absl::Now());
    v1::RecordEventBatchRequest created;
    for (int i = c * per; i < (c + 1) * per; ++i) {
      AddCreated(created, R(i), now - 11 * 60 * 1000, 1000 + i);
    }
    for (int i = c * ship_per; i < (c + 1) * ship_per; ++i) {
      const int64_t paid = now - 21 * 3600 * 1000LL;
      AddCreated(created, S(i), paid, 20000);
      AddPaid(created, S(i), paid);
    }
    ++load.calls;
    if (!UntilOk(fleet, load.retries, [&](auto ch) { return RecordAll(ch, created); })) return;
    for (int i = c * per; i < (c + 1) * per; ++i) {
      v1::AppendRemarkRequest append;
      append.set_request_id(absl::StrCat("m", i));
      append.set_order_id(R(i));
      append.set_reason(absl::StrCat("note-", i, "."));
      append.set_flag(v1::FLAG_RED);
      ++load.calls;
      if (!UntilOk(fleet, load.retries, [&](auto ch) {
            v1::Remark r;
            return v1::Remarks::NewStub(ch)->Append(Context().get(), append, &r);
          })) {
        return;
      }
    }
    v1::RecordEventBatchRequest paid;
    for (int i = c * per; i < (c + 1) * per; i += 2) {
      AddPaid(paid, R(i), absl::ToUnixMillis(absl::Now()));
    }
    ++load.calls;
    if (!UntilOk(fleet, load.retries, [&](auto ch) { return RecordAll(ch, paid); })) return;
    {
      const int64_t accepted = absl::ToUnixMillis(absl::Now());
      std::lock_guard<std::mutex> lock(load.mu);
      for (int i = c * per; i < (c + 1) * per; i += 2) load.paid_accepted[i] = accepted;
    }
    SleepUntil(start + (c + 1) * kChunkEvery);
  }
}

Accounting ExpectEverythingOnce(Fleet& fleet, StorefrontLoad& load) {
  // Every unpaid order's reminder and every warning notice, then a little longer for repeats.
  std::vector<std::string> expected;
  for (int i = 1; i < kOrders; i += 2) expected.push_back(absl::StrCat("shop1:", R(i), ":1"));
  for (int i = 0; i < kShipments; ++i) {
    expected.push_back(absl::StrCat("shop1:", S(i), ":w1"));
    expected.push_back(absl::StrCat("shop1:", S(i), ":b1"));
  }
  Accounting out;
  SinkCount& sinks = out.sinks;
  const absl::Time waiting = absl::Now();
  size_t missing = expected.size();
  while (missing > 0 && absl::Now() - waiting < absl::Seconds(90)) {
    absl::SleepFor(absl::Milliseconds(200));
    sinks = CountSinks(fleet.sinks());
    missing = 0;
    for (const auto& key : expected) missing += sinks.by_key.count(key) == 0;
  }
  out.everything_delivered = absl::Now();
  absl::SleepFor(absl::Seconds(3));
  sinks = CountSinks(fleet.sinks());
  for (const auto& key : expected) EXPECT_EQ(sinks.by_key.count(key), 1u) << key << " never came";

  auto channel = fleet.Channel(0);
  EXPECT_TRUE(channel->WaitForConnected(std::chrono::system_clock::now() + 15s));
  auto orders = v1::OrderEvents::NewStub(channel);
  auto remarks = v1::Remarks::NewStub(channel);
  auto reminders = v1::Reminders::NewStub(channel);
  for (int i = 0; i < kOrders; ++i) {
    const bool paid = i % 2 == 0;
    v1::GetOrderRequest get;
    get.set_order_id(R(i));
    v1::Order order;
    EXPECT_TRUE(orders->GetOrder(Context("agent", 5000ms).get(), get, &order).ok()) << R(i);
    EXPECT_EQ(order.state(), paid ? v1::ORDER_STATE_PAID : v1::ORDER_STATE_PENDING_PAYMENT) << R(i);
    EXPECT_EQ(order.events_applied(), paid ? 2 : 1) << R(i);

    v1::GetRemarkRequest remark_get;
    remark_get.set_order_id(R(i));
    v1::Remark remark;
    EXPECT_TRUE(remarks->Get(Context("agent", 5000ms).get(), remark_get, &remark).ok());
    const std::vector<std::string> parts =
        absl::StrSplit(remark.text(), absl::StrCat("note-", i, "."));
    EXPECT_EQ(parts.size(), 2u) << R(i) << ": the line once: " << remark.text();

    v1::ListRemindersRequest list;
    list.set_order_id(R(i));
    v1::ListRemindersResponse sent;
    EXPECT_TRUE(reminders->ListForOrder(Context("agent", 5000ms).get(), list, &sent).ok());
    const bool delivered = sinks.by_key.count(absl::StrCat("shop1:", R(i), ":1")) > 0;
    EXPECT_EQ(sinks.by_key.count(absl::StrCat("shop1:", R(i), ":2")), 0u) << "at most 1";
    if (!paid) {
      EXPECT_EQ(sent.reminders_size(), 1) << R(i);
      continue;
    }
    EXPECT_LE(sent.reminders_size(), 1) << R(i);
    EXPECT_TRUE(!delivered || sent.reminders_size() == 1) << R(i) << " delivered, not committed";
    for (const auto& r : sent.reminders()) {
      ++out.reminded_paid;
      EXPECT_LE(r.sent_unix_ms(), load.paid_accepted[i]) << R(i) << " reminded after payment";
    }
  }
  for (int i = 0; i < kShipments; i += 7) {
    v1::GetOrderRequest get;
    get.set_order_id(S(i));
    v1::Order order;
    EXPECT_TRUE(orders->GetOrder(Context("agent", 5000ms).get(), get, &order).ok()) << S(i);
    EXPECT_EQ(order.state(), v1::ORDER_STATE_PAID) << S(i);
    EXPECT_EQ(order.events_applied(), 2) << S(i);
  }
  return out;
}

void SleepUntil(absl::Time t) {
  if (const absl::Duration d = t - absl::Now(); d > absl::ZeroDuration()) absl::SleepFor(d);
}

Fleet::Fleet(std::string redis_flag) : redis_flag_(std::move(redis_flag)) {
  for (int k = 0; k < 2; ++k) Start(k);
}

void Fleet::Kill(int k) {
  std::lock_guard<std::mutex> lock(mu_);
  servers_[k]->Kill();
}

void Fleet::Start(int k) {
  std::string sink;
  {
    std::lock_guard<std::mutex> lock(mu_);
    sink = FreshSinkPath(absl::StrCat("load-", sinks_.size()));
    sinks_.push_back(sink);
  }
  auto server = std::make_unique<ServerProcess>(
      ORDERWATCH_SERVER_BIN, redis_flag_,
      std::vector<std::string>{"--reminder-sink=log:" + sink, "--lease-seconds=3",
                               "--job-in-flight-seconds=2"});
  auto channel = grpc::CreateChannel(server->address(), grpc::InsecureChannelCredentials());
  std::lock_guard<std::mutex> lock(mu_);
  servers_[k] = std::move(server);
  channels_[k] = std::move(channel);
}

std::shared_ptr<grpc::Channel> Fleet::Channel(int attempt) {
  std::lock_guard<std::mutex> lock(mu_);
  return channels_[attempt % 2];
}

std::vector<std::string> Fleet::sinks() {
  std::lock_guard<std::mutex> lock(mu_);
  return sinks_;
}

}  // namespace orderwatch::testing
