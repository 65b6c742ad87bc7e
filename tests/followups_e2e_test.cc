// Follow-ups through a real server and Redis, on a manual clock: agents claim the earliest
// deadline first, one agent per follow-up; an unworked claim expires and the follow-up goes back
// to the queue; a logistics problem's deadline moves from reply to solve; overdue follow-ups are
// counted, listed and exported as gauges; shifts and reassignment; cashback once per order and
// never on a refunded one; refund requests, stock-outs and payment promises open follow-ups.
#include <gtest/gtest.h>

#include <functional>

#include "absl/strings/str_cat.h"
#include "services/common/clock.h"
#include "tests/support/test_server.h"

namespace orderwatch::testing {
namespace {

// 2025-11-10 12:00 in Asia/Shanghai.
const absl::Time kT0 = absl::FromUnixSeconds(1762747200);

int64_t Ms(absl::Time t) { return absl::ToUnixMillis(t); }

const Caller kAlice{"shop1", "alice", "agent"};
const Caller kBob{"shop1", "bob", "agent"};
const Caller kSam{"shop1", "sam", "supervisor"};
const Caller kStorefront{"shop1", "web", "storefront"};

class FollowUpsE2ETest : public ::testing::Test {
 protected:
  FollowUpsE2ETest() : clock_(kT0) {
    server::ServerConfig config = TestServer::DevConfig();
    config.clock = &clock_;
    config.scheduler.tick = absl::Milliseconds(5);
    config.scheduler.idle_poll = absl::Milliseconds(50);
    config.scheduler.lease_renew = absl::Milliseconds(100);
    config.gauge_interval = absl::Seconds(1);
    server_ = std::make_unique<TestServer>(redis_, config);
    stub_ = server_->followups();
  }

  void At(absl::Duration d) { clock_.Advance(kT0 + d - clock_.Now()); }

  grpc::Status Create(v1::FollowUpKind kind, const std::string& order, v1::FollowUp* out,
                      const std::function<void(v1::CreateFollowUpRequest*)>& fill = nullptr) {
    v1::CreateFollowUpRequest req;
    req.set_kind(kind);
    req.set_order_id(order);
    if (fill) fill(&req);
    return stub_->Create(TestServer::Context(kAlice).get(), req, out);
  }
  v1::FollowUp MustCreate(v1::FollowUpKind kind, const std::string& order,
                          const std::function<void(v1::CreateFollowUpRequest*)>& fill = nullptr) {
    v1::FollowUp f;
    auto s = Create(kind, order, &f, fill);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return f;
  }
  // The follow-up claimed, or an empty one when the queue is empty.
  v1::FollowUp ClaimNext(const Caller& who, int minutes = 0,
                         v1::FollowUpShift shift = v1::FOLLOW_UP_SHIFT_ANY) {
    v1::ClaimNextRequest req;
    req.set_claim_minutes(minutes);
    req.set_shift(shift);
    v1::ClaimNextResponse resp;
    auto s = stub_->ClaimNext(TestServer::Context(who).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.follow_up();
  }
  grpc::Status Note(const Caller& who, const std::string& id, const std::string& text,
                    v1::FollowUp* out) {
    v1::NoteFollowUpRequest req;
    req.set_id(id);
    req.set_note(text);
    return stub_->Note(TestServer::Context(who).get(), req, out);
  }
  grpc::Status Complete(const Caller& who, const std::string& id, v1::FollowUp* out,
                        v1::FollowUpOutcome outcome = v1::FOLLOW_UP_OUTCOME_RESOLVED) {
    v1::CompleteFollowUpRequest req;
    req.set_id(id);
    req.set_outcome(outcome);
    req.set_note("done");
    return stub_->Complete(TestServer::Context(who).get(), req, out);
  }
  v1::FollowUp Get(const std::string& id) {
    v1::GetFollowUpRequest req;
    req.set_id(id);
    v1::FollowUp f;
    auto s = stub_->Get(TestServer::Context(kAlice).get(), req, &f);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return f;
  }
  v1::ListFollowUpsResponse List(bool overdue_only = false,
                                 v1::FollowUpKind kind = v1::FOLLOW_UP_KIND_UNSPECIFIED,
                                 int page_size = 0, const std::string& token = "") {
    v1::ListFollowUpsRequest req;
    req.set_overdue_only(overdue_only);
    req.set_kind(kind);
    req.set_page_size(page_size);
    req.set_page_token(token);
    v1::ListFollowUpsResponse resp;
    auto s = stub_->List(TestServer::Context(kAlice).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp;
  }
  // Waits (up to 3 s) for the shop's open follow-ups of a kind to number `n`.
  v1::ListFollowUpsResponse AwaitOpen(v1::FollowUpKind kind, int n) {
    v1::ListFollowUpsResponse l;
    for (int i = 0; i < 300; ++i) {
      l = List(false, kind);
      if (l.follow_ups_size() >= n) break;
      absl::SleepFor(absl::Milliseconds(10));
    }
    return l;
  }
  v1::FollowUpSummary::Kind SummaryOf(v1::FollowUpKind kind) {
    v1::FollowUpSummary s;
    EXPECT_TRUE(stub_->Summary(TestServer::Context(kAlice).get(), {}, &s).ok());
    for (const auto& k : s.kinds()) {
      if (k.kind() == kind) return k;
    }
    return {};
  }

  void Record(const std::string& order, const std::string& id,
              const std::function<void(v1::OrderEvent*)>& fill) {
    v1::RecordEventRequest req;
    auto* e = req.mutable_event();
    e->set_event_id(id);
    e->set_order_id(order);
    e->set_event_unix_ms(Ms(clock_.Now()));
    fill(e);
    v1::RecordEventResponse resp;
    auto s = server_->orders()->Record(TestServer::Context(kStorefront).get(), req, &resp);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  void CreatedOrder(const std::string& order) {
    Record(order, "c", [&](v1::OrderEvent* e) {
      auto* c = e->mutable_created();
      c->set_amount_fen(12900);
      c->set_buyer_id("buyer-" + order);
      c->set_created_unix_ms(Ms(clock_.Now()));
    });
  }
  void PaidOrder(const std::string& order) {
    CreatedOrder(order);
    Record(order, "p", [](v1::OrderEvent* e) { e->mutable_paid(); });
  }
  grpc::Status Cashback(const std::string& order, v1::FollowUp* out, const Caller& who = kAlice,
                        const std::string& request_id = "") {
    v1::RegisterCashbackRequest req;
    req.set_order_id(order);
    req.set_request_id(request_id);
    req.set_amount_fen(500);
    req.set_note("好评返现");
    return stub_->RegisterCashback(TestServer::Context(who).get(), req, out);
  }

  RedisServer redis_;
  ManualClock clock_;
  std::unique_ptr<TestServer> server_;
  std::unique_ptr<v1::FollowUps::Stub> stub_;
};

TEST_F(FollowUpsE2ETest, AgentsClaimTheEarliestDeadlineFirstOneAgentEach) {
  const auto refund = MustCreate(v1::FOLLOW_UP_KIND_REFUND, "o1");
  const auto logistics = MustCreate(v1::FOLLOW_UP_KIND_LOGISTICS, "o2",
                                    [](auto* r) { r->set_note("parcel stuck in Hangzhou"); });
  EXPECT_EQ(refund.deadline_unix_ms(), Ms(kT0 + absl::Hours(24)));
  EXPECT_EQ(logistics.deadline_unix_ms(), Ms(kT0 + absl::Minutes(5)));
  EXPECT_EQ(logistics.solve_deadline_unix_ms(), Ms(kT0 + absl::Hours(48)));
  EXPECT_EQ(refund.created_by(), "alice");

  const auto first = ClaimNext(kAlice);
  EXPECT_EQ(first.id(), logistics.id()) << "the earliest deadline first";
  EXPECT_EQ(first.claimed_by(), "alice");
  EXPECT_EQ(first.claim_until_unix_ms(), Ms(kT0 + absl::Minutes(30)));
  const auto second = ClaimNext(kBob);
  EXPECT_EQ(second.id(), refund.id());
  EXPECT_EQ(ClaimNext(kBob).id(), "") << "nothing left unclaimed";

  // One agent per follow-up: bob may not work alice's; a supervisor may.
  v1::FollowUp f;
  auto s = Note(kBob, first.id(), "I'll take it", &f);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(s.error_message().find("claimed by alice"), std::string::npos) << s.error_message();
  EXPECT_EQ(Complete(kBob, first.id(), &f).error_code(), grpc::StatusCode::PERMISSION_DENIED);

  ASSERT_TRUE(Complete(kAlice, first.id(), &f).ok());
  EXPECT_EQ(f.outcome(), v1::FOLLOW_UP_OUTCOME_RESOLVED);
  EXPECT_EQ(f.completed_by(), "alice");
  EXPECT_EQ(f.completed_unix_ms(), Ms(kT0));
  EXPECT_FALSE(f.completed_late());
  EXPECT_EQ(f.claimed_by(), "");
  EXPECT_EQ(Complete(kAlice, first.id(), &f).error_code(), grpc::StatusCode::FAILED_PRECONDITION)
      << "completed once";
  ASSERT_TRUE(Complete(kSam, second.id(), &f, v1::FOLLOW_UP_OUTCOME_UNREACHABLE).ok());
  EXPECT_EQ(f.outcome(), v1::FOLLOW_UP_OUTCOME_UNREACHABLE);
  EXPECT_EQ(List().follow_ups_size(), 0);
  // Completed follow-ups still read back.
  EXPECT_EQ(Get(second.id()).completed_by(), "sam");
}

TEST_F(FollowUpsE2ETest, AnUnworkedClaimExpiresAndTheFollowUpGoesBackToTheQueue) {
  const auto f = MustCreate(v1::FOLLOW_UP_KIND_STOCK_OUT, "o1");
  EXPECT_EQ(ClaimNext(kAlice, 10).id(), f.id());

  // Working it renews the claim: 30 minutes from the note.
  At(absl::Minutes(5));
  v1::FollowUp noted;
  ASSERT_TRUE(Note(kAlice, f.id(), "called, no answer", &noted).ok());
  EXPECT_EQ(noted.claim_until_unix_ms(), Ms(kT0 + absl::Minutes(35)));
  EXPECT_EQ(noted.notes(), 1);
  EXPECT_EQ(noted.last_note(), "called, no answer");
  EXPECT_EQ(noted.replied_unix_ms(), Ms(kT0 + absl::Minutes(5)));

  At(absl::Minutes(20));
  EXPECT_EQ(ClaimNext(kBob).id(), "") << "alice's claim still holds";

  At(absl::Minutes(36));
  EXPECT_EQ(Get(f.id()).claimed_by(), "") << "the claim ran out";
  const auto taken = ClaimNext(kBob);
  EXPECT_EQ(taken.id(), f.id());
  EXPECT_EQ(taken.claimed_by(), "bob");
  v1::FollowUp out;
  EXPECT_EQ(Note(kAlice, f.id(), "back again", &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  const std::string metrics = HttpGet(server_->metrics_port(), "/metrics");
  EXPECT_NE(metrics.find("orderwatch_followup_claims_expired_total 1"), std::string::npos);
}

TEST_F(FollowUpsE2ETest, OverdueFollowUpsAreCountedListedAndExported) {
  const auto logistics = MustCreate(v1::FOLLOW_UP_KIND_LOGISTICS, "o1");
  const auto refund = MustCreate(v1::FOLLOW_UP_KIND_REFUND, "o2");
  EXPECT_EQ(List(true).follow_ups_size(), 0);

  At(absl::Minutes(6));  // the logistics problem went unanswered for 5 minutes
  auto overdue = List(true);
  ASSERT_EQ(overdue.follow_ups_size(), 1);
  EXPECT_EQ(overdue.follow_ups(0).id(), logistics.id());
  EXPECT_TRUE(overdue.follow_ups(0).overdue());
  EXPECT_EQ(SummaryOf(v1::FOLLOW_UP_KIND_LOGISTICS).overdue(), 1);
  EXPECT_EQ(SummaryOf(v1::FOLLOW_UP_KIND_REFUND).open(), 1);
  // The gauges (recounted every second here) carry the kind, never the shop.
  std::string metrics;
  for (int i = 0; i < 40; ++i) {
    metrics = HttpGet(server_->metrics_port(), "/metrics");
    if (metrics.find("orderwatch_followups_overdue{kind=\"logistics\"} 1") != std::string::npos) {
      break;
    }
    absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_NE(metrics.find("orderwatch_followups_overdue{kind=\"logistics\"} 1"), std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("orderwatch_followups_open{kind=\"refund\"} 1"), std::string::npos);
  EXPECT_EQ(metrics.find("shop1"), std::string::npos);

  // A reply moves its deadline to the solve deadline: no longer overdue.
  v1::FollowUp f;
  ASSERT_TRUE(Note(kAlice, logistics.id(), "asked the courier", &f).ok());
  EXPECT_EQ(f.deadline_unix_ms(), Ms(kT0 + absl::Hours(48)));
  EXPECT_FALSE(f.overdue());
  EXPECT_EQ(List(true).follow_ups_size(), 0);

  At(absl::Hours(25));  // the refund is a day old
  overdue = List(true);
  ASSERT_EQ(overdue.follow_ups_size(), 1);
  EXPECT_EQ(overdue.follow_ups(0).id(), refund.id());
  ASSERT_TRUE(Complete(kAlice, refund.id(), &f).ok());
  EXPECT_TRUE(f.completed_late());
  EXPECT_FALSE(f.overdue());
  metrics = HttpGet(server_->metrics_port(), "/metrics");
  EXPECT_NE(metrics.find("orderwatch_followups_completed_total{kind=\"refund\",late=\"true\"} 1"),
            std::string::npos);
}

TEST_F(FollowUpsE2ETest, ListsPageByDeadlineAndFilterByKind) {
  for (int i = 0; i < 5; ++i) {
    MustCreate(v1::FOLLOW_UP_KIND_CUSTOM, "", [&](auto* r) {
      r->set_deadline_unix_ms(Ms(kT0 + absl::Hours(5 - i)));
      r->set_note(absl::StrCat("task ", i));
    });
  }
  MustCreate(v1::FOLLOW_UP_KIND_COMPLAINT, "o9");
  auto page = List(false, v1::FOLLOW_UP_KIND_UNSPECIFIED, 4);
  ASSERT_EQ(page.follow_ups_size(), 4);
  EXPECT_EQ(page.follow_ups(0).note(), "task 4");
  EXPECT_EQ(page.follow_ups(3).note(), "task 1");
  ASSERT_FALSE(page.next_page_token().empty());
  auto rest = List(false, v1::FOLLOW_UP_KIND_UNSPECIFIED, 4, page.next_page_token());
  ASSERT_EQ(rest.follow_ups_size(), 2);
  EXPECT_EQ(rest.follow_ups(0).note(), "task 0");
  EXPECT_EQ(rest.follow_ups(1).kind(), v1::FOLLOW_UP_KIND_COMPLAINT);
  EXPECT_TRUE(rest.next_page_token().empty());
  EXPECT_EQ(List(false, v1::FOLLOW_UP_KIND_COMPLAINT).follow_ups_size(), 1);
}

TEST_F(FollowUpsE2ETest, ShiftsAndReassignment) {
  const auto day = MustCreate(v1::FOLLOW_UP_KIND_REFUND, "o1",
                              [](auto* r) { r->set_shift(v1::FOLLOW_UP_SHIFT_DAY); });
  const auto night = MustCreate(v1::FOLLOW_UP_KIND_REFUND, "o2", [](auto* r) {
    r->set_shift(v1::FOLLOW_UP_SHIFT_NIGHT);
    r->set_deadline_unix_ms(Ms(kT0 + absl::Hours(30)));
  });
  // The night shift takes night (and no-shift) work only, though the day one is due sooner.
  const auto claimed = ClaimNext(kBob, 0, v1::FOLLOW_UP_SHIFT_NIGHT);
  EXPECT_EQ(claimed.id(), night.id());
  EXPECT_EQ(ClaimNext(kBob, 0, v1::FOLLOW_UP_SHIFT_NIGHT).id(), "");

  v1::ReassignFollowUpRequest req;
  req.set_id(night.id());
  req.set_to_agent("carol");
  v1::FollowUp f;
  EXPECT_EQ(stub_->Reassign(TestServer::Context(kAlice).get(), req, &f).error_code(),
            grpc::StatusCode::PERMISSION_DENIED)
      << "alice does not hold it";
  ASSERT_TRUE(stub_->Reassign(TestServer::Context(kBob).get(), req, &f).ok());
  EXPECT_EQ(f.claimed_by(), "carol");

  // Back to the day shift's queue, unclaimed: the day shift takes it in deadline order.
  req.clear_to_agent();
  req.set_to_shift(v1::FOLLOW_UP_SHIFT_DAY);
  ASSERT_TRUE(stub_->Reassign(TestServer::Context(kSam).get(), req, &f).ok());
  EXPECT_EQ(f.claimed_by(), "");
  EXPECT_EQ(f.shift(), v1::FOLLOW_UP_SHIFT_DAY);
  EXPECT_EQ(ClaimNext(kAlice, 0, v1::FOLLOW_UP_SHIFT_DAY).id(), day.id());
  EXPECT_EQ(ClaimNext(kAlice, 0, v1::FOLLOW_UP_SHIFT_DAY).id(), night.id());
}

TEST_F(FollowUpsE2ETest, BadRequestsNameTheFieldAndRetriesCreateOnce) {
  v1::FollowUp f;
  auto s = Create(v1::FOLLOW_UP_KIND_CUSTOM, "", &f);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().rfind("deadline_unix_ms:", 0), 0u) << s.error_message();
  s = Create(v1::FOLLOW_UP_KIND_REFUND, "", &f);
  EXPECT_EQ(s.error_message().rfind("order_id:", 0), 0u) << s.error_message();
  v1::ClaimNextRequest claim;
  claim.set_claim_minutes(5000);
  v1::ClaimNextResponse r;
  s = stub_->ClaimNext(TestServer::Context(kAlice).get(), claim, &r);
  EXPECT_EQ(s.error_message().rfind("claim_minutes:", 0), 0u) << s.error_message();
  v1::GetFollowUpRequest get;
  get.set_id("F999");
  EXPECT_EQ(stub_->Get(TestServer::Context(kAlice).get(), get, &f).error_code(),
            grpc::StatusCode::NOT_FOUND);

  const auto a = MustCreate(v1::FOLLOW_UP_KIND_INQUIRY, "", [](auto* r) {
    r->set_buyer_id("b7");
    r->set_request_id("q1");
  });
  const auto b = MustCreate(v1::FOLLOW_UP_KIND_INQUIRY, "", [](auto* r) {
    r->set_buyer_id("b7");
    r->set_request_id("q1");
  });
  EXPECT_EQ(a.id(), b.id());
  // An order has one open follow-up of a kind.
  EXPECT_EQ(MustCreate(v1::FOLLOW_UP_KIND_REFUND, "o1").id(),
            MustCreate(v1::FOLLOW_UP_KIND_REFUND, "o1").id());
  EXPECT_EQ(List().follow_ups_size(), 2);
}

TEST_F(FollowUpsE2ETest, CashbackIsRegisteredOncePerOrderAndNeverOnARefundedOne) {
  PaidOrder("A1");
  v1::FollowUp f;
  auto s = Cashback("A1", &f);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(f.kind(), v1::FOLLOW_UP_KIND_CASHBACK);
  EXPECT_EQ(f.cashback_fen(), 500);
  EXPECT_EQ(f.created_by(), "alice");
  EXPECT_EQ(f.deadline_unix_ms(), Ms(kT0 + absl::Hours(48)));

  s = Cashback("A1", &f, kBob);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find("registered already by alice"), std::string::npos)
      << s.error_message();
  // Even once its follow-up is done, the order's cashback stays registered.
  const std::string id = AwaitOpen(v1::FOLLOW_UP_KIND_CASHBACK, 1).follow_ups(0).id();
  ASSERT_TRUE(Complete(kAlice, id, &f).ok());
  EXPECT_EQ(Cashback("A1", &f).error_code(), grpc::StatusCode::FAILED_PRECONDITION);

  PaidOrder("R1");
  Record("R1", "r", [](v1::OrderEvent* e) { e->mutable_refunded()->set_amount_fen(12900); });
  s = Cashback("R1", &f);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find("is refunded"), std::string::npos) << s.error_message();
  PaidOrder("Q1");
  Record("Q1", "q", [](v1::OrderEvent* e) { e->mutable_refund_requested(); });
  EXPECT_EQ(Cashback("Q1", &f).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  CreatedOrder("U1");
  EXPECT_EQ(Cashback("U1", &f).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Cashback("nobody", &f).error_code(), grpc::StatusCode::NOT_FOUND);

  // A refund after the registration: the cashback is never paid, its follow-up is cancelled.
  PaidOrder("C1");
  ASSERT_TRUE(Cashback("C1", &f).ok());
  const std::string cashback = f.id();
  Record("C1", "r", [](v1::OrderEvent* e) { e->mutable_refunded()->set_amount_fen(12900); });
  for (int i = 0; i < 300 && Get(cashback).outcome() == v1::FOLLOW_UP_OUTCOME_UNSPECIFIED; ++i) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_EQ(Get(cashback).outcome(), v1::FOLLOW_UP_OUTCOME_CANCELLED);

  v1::GetOrderRequest get;
  get.set_order_id("A1");
  v1::Order o;
  ASSERT_TRUE(server_->orders()->GetOrder(TestServer::Context(kAlice).get(), get, &o).ok());
  EXPECT_TRUE(o.cashback_registered());
  // One cashback follow-up in all: the job queued with the registration found it open.
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_EQ(SummaryOf(v1::FOLLOW_UP_KIND_CASHBACK).open(), 0);
  EXPECT_EQ(List(false, v1::FOLLOW_UP_KIND_CASHBACK).follow_ups_size(), 0);

  // A retry of a registration (same request id) answers with its follow-up; another id is a
  // second registration.
  PaidOrder("T1");
  v1::FollowUp first, retry;
  ASSERT_TRUE(Cashback("T1", &first, kAlice, "cb-1").ok());
  s = Cashback("T1", &retry, kAlice, "cb-1");
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(retry.id(), first.id());
  EXPECT_EQ(Cashback("T1", &f, kAlice, "cb-2").error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(FollowUpsE2ETest, OrderEventsOpenFollowUps) {
  PaidOrder("A1");
  Record("A1", "q",
         [](v1::OrderEvent* e) { e->mutable_refund_requested()->set_reason("尺码不合适"); });
  Record("A1", "q", [](v1::OrderEvent* e) { e->mutable_refund_requested(); });  // a retry
  auto refunds = AwaitOpen(v1::FOLLOW_UP_KIND_REFUND, 1);
  ASSERT_EQ(refunds.follow_ups_size(), 1);
  EXPECT_EQ(refunds.follow_ups(0).order_id(), "A1");
  EXPECT_EQ(refunds.follow_ups(0).buyer_id(), "buyer-A1");
  EXPECT_EQ(refunds.follow_ups(0).created_by(), "order-event");
  EXPECT_EQ(refunds.follow_ups(0).deadline_unix_ms(), Ms(kT0 + absl::Hours(24)));
  EXPECT_NE(refunds.follow_ups(0).note().find("尺码不合适"), std::string::npos);
  v1::FollowUp done;
  ASSERT_TRUE(Complete(kAlice, refunds.follow_ups(0).id(), &done).ok());
  // The same request reported again from elsewhere, with an earlier time, opens nothing more.
  Record("A1", "q-copy", [](v1::OrderEvent* e) {
    e->set_event_unix_ms(e->event_unix_ms() - 60'000);
    e->mutable_refund_requested();
  });

  PaidOrder("S1");
  Record("S1", "s", [](v1::OrderEvent* e) { e->mutable_stock_out()->set_items("red M x1"); });
  auto stock = AwaitOpen(v1::FOLLOW_UP_KIND_STOCK_OUT, 1);
  ASSERT_EQ(stock.follow_ups_size(), 1);
  EXPECT_NE(stock.follow_ups(0).note().find("red M x1"), std::string::npos);

  // The buyer answers a reminder with a promise: a follow-up is due when they promised.
  CreatedOrder("U1");
  v1::TriggerReminderRequest trigger;
  trigger.set_order_id("U1");
  trigger.set_request_id("t1");
  v1::Reminder reminder;
  auto s = server_->reminders()->Trigger(TestServer::Context(kAlice).get(), trigger, &reminder);
  ASSERT_TRUE(s.ok()) << s.error_message();
  v1::RecordAnswerRequest answer;
  answer.set_order_id("U1");
  answer.set_request_id("a1");
  answer.set_reason(static_cast<v1::UnpaidReason>(1));
  answer.set_promised_pay_unix_ms(Ms(kT0 + absl::Hours(3)));
  s = server_->reminders()->RecordAnswer(TestServer::Context(kAlice).get(), answer, &reminder);
  ASSERT_TRUE(s.ok()) << s.error_message();
  auto promised = AwaitOpen(v1::FOLLOW_UP_KIND_PROMISED_PAYMENT, 1);
  ASSERT_EQ(promised.follow_ups_size(), 1);
  EXPECT_EQ(promised.follow_ups(0).order_id(), "U1");
  EXPECT_EQ(promised.follow_ups(0).deadline_unix_ms(), Ms(kT0 + absl::Hours(3)));
  EXPECT_EQ(promised.follow_ups(0).created_by(), "reminder-answer");
  // A new promise moves it.
  answer.set_request_id("a2");
  answer.set_promised_pay_unix_ms(Ms(kT0 + absl::Hours(5)));
  s = server_->reminders()->RecordAnswer(TestServer::Context(kAlice).get(), answer, &reminder);
  ASSERT_TRUE(s.ok()) << s.error_message();
  for (int i = 0; i < 300 && Get(promised.follow_ups(0).id()).deadline_unix_ms() !=
                                 Ms(kT0 + absl::Hours(5));
       ++i) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_EQ(Get(promised.follow_ups(0).id()).deadline_unix_ms(), Ms(kT0 + absl::Hours(5)));

  // Still one of each: jobs that ran (or would run) twice open nothing more.
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_EQ(List().follow_ups_size(), 2) << "stock-out and promise; the refund one is done";
  EXPECT_EQ(List(false, v1::FOLLOW_UP_KIND_REFUND).follow_ups_size(), 0);

  // The buyer pays: the promise is kept and its follow-up resolved by itself.
  const std::string promise = promised.follow_ups(0).id();
  Record("U1", "p", [](v1::OrderEvent* e) { e->mutable_paid(); });
  for (int i = 0; i < 300 && Get(promise).outcome() == v1::FOLLOW_UP_OUTCOME_UNSPECIFIED; ++i) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  const auto kept = Get(promise);
  EXPECT_EQ(kept.outcome(), v1::FOLLOW_UP_OUTCOME_RESOLVED);
  EXPECT_EQ(kept.completed_by(), "order-event");
  EXPECT_EQ(List().follow_ups_size(), 1);
  const std::string metrics = HttpGet(server_->metrics_port(), "/metrics");
  EXPECT_NE(
      metrics.find("orderwatch_followups_created_total{kind=\"refund\",source=\"order_event\"} 1"),
      std::string::npos);
}

}  // namespace
}  // namespace orderwatch::testing
