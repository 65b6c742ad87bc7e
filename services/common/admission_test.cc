#include "services/common/admission.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace orderwatch {
namespace {

// A clock the test moves by hand, in microseconds.
std::atomic<int64_t> fake_now_us{0};
int64_t FakeNow() { return fake_now_us.load(); }

class CountingObserver final : public Admission::Observer {
 public:
  void Admitted() override { ++in_flight; }
  void Released() override { --in_flight; }
  void Rejected(Priority p) override { ++rejected[static_cast<int>(p)]; }

  int in_flight = 0;
  int rejected[3] = {0, 0, 0};
};

Admission::Ticket MustAdmit(Admission& a, Priority p) {
  auto r = a.Admit(p);
  EXPECT_TRUE(std::holds_alternative<Admission::Ticket>(r)) << PriorityName(p);
  return std::holds_alternative<Admission::Ticket>(r) ? std::get<Admission::Ticket>(std::move(r))
                                                      : Admission::Ticket();
}

bool Admitted(Admission& a, Priority p) {
  return std::holds_alternative<Admission::Ticket>(a.Admit(p));
}

TEST(AdmissionTest, ThresholdsPerPriority) {
  CountingObserver observer;
  Admission a({.max_in_flight = 8, .observer = &observer});
  EXPECT_EQ(a.limit(Priority::kLow), 4);
  EXPECT_EQ(a.limit(Priority::kNormal), 6);
  EXPECT_EQ(a.limit(Priority::kHigh), 8);

  std::vector<Admission::Ticket> held;
  for (int i = 0; i < 4; ++i) held.push_back(MustAdmit(a, Priority::kLow));
  // Low-priority calls stop at half the limit; the others still get in.
  auto refused = a.Admit(Priority::kLow);
  ASSERT_TRUE(std::holds_alternative<Admission::Rejection>(refused));
  const auto& r = std::get<Admission::Rejection>(refused);
  EXPECT_EQ(r.in_flight, 4);
  EXPECT_EQ(r.limit, 4);
  EXPECT_EQ(r.priority, Priority::kLow);
  for (int i = 0; i < 2; ++i) held.push_back(MustAdmit(a, Priority::kNormal));
  EXPECT_FALSE(Admitted(a, Priority::kNormal));
  EXPECT_FALSE(Admitted(a, Priority::kLow));
  for (int i = 0; i < 2; ++i) held.push_back(MustAdmit(a, Priority::kHigh));
  EXPECT_FALSE(Admitted(a, Priority::kHigh));
  EXPECT_EQ(a.in_flight(), 8);
  EXPECT_EQ(observer.in_flight, 8);
  EXPECT_EQ(observer.rejected[static_cast<int>(Priority::kHigh)], 1);
  EXPECT_EQ(observer.rejected[static_cast<int>(Priority::kNormal)], 1);
  EXPECT_EQ(observer.rejected[static_cast<int>(Priority::kLow)], 2);

  held.clear();
  EXPECT_EQ(a.in_flight(), 0);
  EXPECT_EQ(observer.in_flight, 0);
  EXPECT_TRUE(Admitted(a, Priority::kLow));
}

TEST(AdmissionTest, SharesRoundUpAndTheLimitIsClamped) {
  // in_flight < 50% of 9 = 4.5 admits a fifth call at 4 in flight; < 75% of 9 = 6.75 a seventh.
  Admission nine({.max_in_flight = 9});
  EXPECT_EQ(nine.limit(Priority::kLow), 5);
  EXPECT_EQ(nine.limit(Priority::kNormal), 7);
  EXPECT_EQ(nine.limit(Priority::kHigh), 9);
  Admission big({.max_in_flight = 256});
  EXPECT_EQ(big.limit(Priority::kLow), 128);
  EXPECT_EQ(big.limit(Priority::kNormal), 192);
  EXPECT_EQ(Admission({.max_in_flight = 1}).max_in_flight(), Admission::kMinLimit);
  EXPECT_EQ(Admission({.max_in_flight = 1 << 30}).max_in_flight(), Admission::kMaxLimit);
}

TEST(AdmissionTest, TicketReleasesOnceOnDestructionReleaseOrMove) {
  Admission a({.max_in_flight = 8});
  {
    auto t = MustAdmit(a, Priority::kHigh);
    EXPECT_TRUE(t.held());
    EXPECT_EQ(a.in_flight(), 1);
  }
  EXPECT_EQ(a.in_flight(), 0);

  auto t = MustAdmit(a, Priority::kHigh);
  Admission::Ticket moved(std::move(t));
  EXPECT_FALSE(t.held());
  EXPECT_TRUE(moved.held());
  EXPECT_EQ(a.in_flight(), 1);
  t = MustAdmit(a, Priority::kHigh);
  EXPECT_EQ(a.in_flight(), 2);
  // Assigning over a held ticket gives its place back.
  t = std::move(moved);
  EXPECT_EQ(a.in_flight(), 1);
  t.Release();
  t.Release();
  EXPECT_FALSE(t.held());
  EXPECT_EQ(a.in_flight(), 0);
}

TEST(AdmissionTest, RetryHintIsTwiceTheMeanDurationClamped) {
  EXPECT_EQ(Admission::RetryHintMs(0), 10);
  EXPECT_EQ(Admission::RetryHintMs(4.9), 10);
  EXPECT_EQ(Admission::RetryHintMs(5.01), 11);  // ceil(10.02)
  EXPECT_EQ(Admission::RetryHintMs(20), 40);
  EXPECT_EQ(Admission::RetryHintMs(499.6), 1000);
  EXPECT_EQ(Admission::RetryHintMs(60000), 1000);

  fake_now_us = 1'000'000;
  Admission a({.max_in_flight = 8, .now_us = FakeNow});
  EXPECT_EQ(a.retry_after_ms(), 10);  // nothing finished yet
  auto first = MustAdmit(a, Priority::kNormal);
  fake_now_us += 100'000;  // 100 ms
  first.Release();
  EXPECT_EQ(a.retry_after_ms(), 200);
  // Later calls move the mean an eighth of the way: 100 + (500 - 100) / 8 = 150 ms.
  auto second = MustAdmit(a, Priority::kNormal);
  fake_now_us += 500'000;
  second.Release();
  EXPECT_EQ(a.retry_after_ms(), 300);
  // Slow calls push the hint to its ceiling, a run of fast ones brings it back down.
  for (int i = 0; i < 20; ++i) {
    auto t = MustAdmit(a, Priority::kNormal);
    fake_now_us += 5'000'000;
  }
  EXPECT_EQ(a.retry_after_ms(), 1000);
  for (int i = 0; i < 200; ++i) MustAdmit(a, Priority::kNormal);
  EXPECT_EQ(a.retry_after_ms(), 10);

  // A rejection carries the hint and says it.
  std::vector<Admission::Ticket> held;
  for (int i = 0; i < 4; ++i) held.push_back(MustAdmit(a, Priority::kLow));
  auto refused = a.Admit(Priority::kLow);
  ASSERT_TRUE(std::holds_alternative<Admission::Rejection>(refused));
  const absl::Status s = std::get<Admission::Rejection>(refused).ToStatus();
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(s.message(),
            "server busy: 4 calls in flight (limit for low-priority calls: 4); retry after 10 ms");
}

TEST(AdmissionTest, ConcurrentCallersNeverExceedTheLimit) {
  Admission a({.max_in_flight = 64});
  std::atomic<int64_t> peak{0}, admitted{0}, refused{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      const Priority p = static_cast<Priority>(t % 3);
      std::vector<Admission::Ticket> mine;
      for (int i = 0; i < 20000; ++i) {
        auto r = a.Admit(p);
        if (auto* ticket = std::get_if<Admission::Ticket>(&r)) {
          ++admitted;
          mine.push_back(std::move(*ticket));
          int64_t seen = a.in_flight(), was = peak.load();
          while (seen > was && !peak.compare_exchange_weak(was, seen)) {
          }
          if (mine.size() > 12) mine.clear();
        } else {
          ++refused;
          mine.clear();
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(a.in_flight(), 0);
  EXPECT_LE(peak.load(), 64);
  EXPECT_GT(admitted.load(), 0);
}

}  // namespace
}  // namespace orderwatch
