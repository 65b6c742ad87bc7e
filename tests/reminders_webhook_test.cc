// The webhook sink through a real server: signed POSTs to a real HTTP endpoint (libevent's, in
// this test), a failed delivery retried under the same Idempotency-Key, and the per-channel rate
// limit spreading a burst of SMS.
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/thread.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sys/socket.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <thread>

#include "absl/strings/escaping.h"
#include "absl/synchronization/mutex.h"
#include "services/common/clock.h"
#include "tests/support/test_server.h"

namespace orderwatch::testing {
namespace {

const absl::Time kT0 = absl::FromUnixSeconds(1762747200);  // 2025-11-10 12:00 +08:00
constexpr char kSecret[] = "test-secret-0123456789abcdef";

// An HTTP endpoint on a free loopback port that records every POST and answers 500 to the first
// `fail_first` attempts of each Idempotency-Key, 200 after.
class Endpoint {
 public:
  struct Post {
    std::string key, timestamp, signature, body;
    absl::Time at;
  };

  explicit Endpoint(int fail_first) : fail_first_(fail_first) {
    evthread_use_pthreads();
    base_ = event_base_new();
    http_ = evhttp_new(base_);
    evhttp_bound_socket* bound = evhttp_bind_socket_with_handle(http_, "127.0.0.1", 0);
    sockaddr_in addr{};
    socklen_t len = sizeof(addr);
    getsockname(evhttp_bound_socket_get_fd(bound), reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    evhttp_set_gencb(http_, &Endpoint::OnRequest, this);
    thread_ = std::thread([this] { event_base_dispatch(base_); });
  }
  ~Endpoint() {
    event_base_loopexit(base_, nullptr);
    thread_.join();
    evhttp_free(http_);
    event_base_free(base_);
  }

  int port() const { return port_; }
  std::vector<Post> posts() {
    absl::MutexLock lock(&mu_);
    return posts_;
  }
  std::vector<Post> AwaitPosts(size_t n) {
    for (int i = 0; i < 500 && posts().size() < n; ++i) absl::SleepFor(absl::Milliseconds(10));
    return posts();
  }

 private:
  static void OnRequest(evhttp_request* req, void* arg) {
    auto* self = static_cast<Endpoint*>(arg);
    evkeyvalq* in = evhttp_request_get_input_headers(req);
    auto header = [in](const char* name) {
      const char* v = evhttp_find_header(in, name);
      return std::string(v == nullptr ? "" : v);
    };
    Post p;
    p.key = header("Idempotency-Key");
    p.timestamp = header("X-Orderwatch-Timestamp");
    p.signature = header("X-Orderwatch-Signature");
    evbuffer* body = evhttp_request_get_input_buffer(req);
    p.body.resize(evbuffer_get_length(body));
    evbuffer_copyout(body, p.body.data(), p.body.size());
    p.at = absl::Now();
    int attempt = 0;
    {
      absl::MutexLock lock(&self->mu_);
      attempt = ++self->attempts_[p.key];
      self->posts_.push_back(p);
    }
    evhttp_send_reply(req, attempt <= self->fail_first_ ? 500 : 200, "", nullptr);
  }

  int fail_first_;
  event_base* base_;
  evhttp* http_;
  int port_ = 0;
  std::thread thread_;
  absl::Mutex mu_;
  std::vector<Post> posts_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, int> attempts_ ABSL_GUARDED_BY(mu_);
};

std::string Hmac(const std::string& message) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), kSecret, sizeof(kSecret) - 1,
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &length);
  return "sha256=" +
         absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(mac), length));
}

class WebhookSinkTest : public ::testing::Test {
 protected:
  WebhookSinkTest() : clock_(kT0) {}

  void Start(Endpoint& endpoint, const std::string& rate_limits) {
    const std::string secret_file = ::testing::TempDir() + "webhook-secret";
    std::ofstream(secret_file) << kSecret << "\n";
    server::ServerConfig config = TestServer::DevConfig();
    config.clock = &clock_;
    config.reminder_sink =
        "webhook:http://127.0.0.1:" + std::to_string(endpoint.port()) + "/hooks/reminders";
    config.reminder_webhook_secret_file = secret_file;
    config.reminder_rate_limits = rate_limits;
    config.scheduler.tick = absl::Milliseconds(5);
    config.scheduler.idle_poll = absl::Milliseconds(100);
    config.scheduler.lease_renew = absl::Milliseconds(100);
    server_ = std::make_unique<TestServer>(redis_, config);
  }

  void Created(const std::string& order) {
    v1::RecordEventRequest req;
    auto* e = req.mutable_event();
    e->set_event_id("created-" + order);
    e->set_order_id(order);
    e->set_event_unix_ms(absl::ToUnixMillis(kT0));
    auto* c = e->mutable_created();
    c->set_amount_fen(9900);
    c->set_buyer_id("buyer-" + order);
    c->set_buyer_phone_hash("ph-" + order);
    c->set_created_unix_ms(absl::ToUnixMillis(kT0));
    c->set_auto_close_unix_ms(absl::ToUnixMillis(kT0 + absl::Hours(24)));
    v1::RecordEventResponse resp;
    ASSERT_TRUE(server_->orders()
                    ->Record(TestServer::Context({"shop1", "web", "storefront"}).get(), req, &resp)
                    .ok());
  }

  void TriggerSms(const std::string& order) {
    v1::TriggerReminderRequest req;
    req.set_request_id("t-" + order);
    req.set_order_id(order);
    req.set_channel(v1::CHANNEL_SMS);
    v1::Reminder r;
    ASSERT_TRUE(server_->reminders()->Trigger(TestServer::Context().get(), req, &r).ok());
  }

  RedisServer redis_;
  ManualClock clock_;
  std::unique_ptr<TestServer> server_;
};

TEST_F(WebhookSinkTest, SignedPostsAreRetriedUnderOneIdempotencyKey) {
  Endpoint endpoint(/*fail_first=*/1);
  Start(endpoint, "");
  Created("H1");
  TriggerSms("H1");
  ASSERT_EQ(endpoint.AwaitPosts(1).size(), 1u);
  // The endpoint answered 500: the delivery comes back after its backoff, under the same key.
  for (int i = 0; i < 20 && endpoint.posts().size() < 2; ++i) {
    clock_.Advance(absl::Seconds(1));
    absl::SleepFor(absl::Milliseconds(150));
  }
  const auto posts = endpoint.AwaitPosts(2);
  ASSERT_EQ(posts.size(), 2u);
  for (const auto& p : posts) {
    EXPECT_EQ(p.key, "shop1:H1:1");
    EXPECT_NE(p.body.find("\"order_id\":\"H1\""), std::string::npos) << p.body;
    EXPECT_NE(p.body.find("\"channel\":\"sms\""), std::string::npos) << p.body;
    EXPECT_EQ(p.signature, Hmac(p.timestamp + "." + p.body)) << "signed with the shared secret";
  }
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_EQ(endpoint.posts().size(), 2u) << "acknowledged once answered 200";
  const std::string metrics = HttpGet(server_->metrics_port(), "/metrics");
  EXPECT_NE(
      metrics.find(
          R"(orderwatch_reminder_deliveries_total{channel="sms",result="failed",sink="webhook"} 1)"),
      std::string::npos);
  EXPECT_NE(
      metrics.find(
          R"(orderwatch_reminder_deliveries_total{channel="sms",result="delivered",sink="webhook"} 1)"),
      std::string::npos);
}

TEST_F(WebhookSinkTest, TheChannelsRateLimitSpreadsABurst) {
  Endpoint endpoint(/*fail_first=*/0);
  Start(endpoint, "sms=4");
  const std::vector<std::string> orders = {"R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8"};
  for (const auto& o : orders) Created(o);
  for (const auto& o : orders) TriggerSms(o);
  const auto posts = endpoint.AwaitPosts(orders.size());
  ASSERT_EQ(posts.size(), orders.size());
  // A burst of 4 at once, then 4 a second: the last goes out about a second after the first.
  const absl::Duration spread = posts.back().at - posts.front().at;
  EXPECT_GE(spread, absl::Milliseconds(850)) << spread;
  EXPECT_LT(spread, absl::Seconds(4)) << spread;
}

TEST(WebhookConfigTest, AWebhookNeedsASecret) {
  server::ServerConfig config = TestServer::DevConfig();
  config.reminder_sink = "webhook:http://127.0.0.1:9/x";
  RedisServer redis;
  TestServer::UseRedis(redis, config);
  auto app = server::ServerApp::Start(config);
  ASSERT_FALSE(app.ok());
  EXPECT_NE(app.status().message().find("reminder-webhook-secret-file"), absl::string_view::npos)
      << app.status();
}

}  // namespace
}  // namespace orderwatch::testing
