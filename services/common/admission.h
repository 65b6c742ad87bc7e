// Admission control at the gRPC edge: a bound on the calls in flight, so that beyond capacity the
// server answers "busy, retry in N ms" at once instead of queueing without bound. Room is kept for
// the calls that matter at peak: a low-priority call (bulk reads, after-sales work) is admitted
// only while fewer than half the limit are in flight, a normal one below three quarters, a high
// one (storefront writes, reminders) up to the limit. Lock-free: one atomic counter.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <variant>

#include "absl/status/status.h"

namespace orderwatch {

enum class Priority { kHigh, kNormal, kLow };

// "high", "normal", "low".
const char* PriorityName(Priority priority);

class Admission {
 public:
  static constexpr int kMinLimit = 8;
  static constexpr int kMaxLimit = 100000;
  static constexpr int kDefaultLimit = 256;

  // Told of every admission, release and rejection (the server points it at Prometheus). Called
  // on gRPC and Redis threads: must be cheap and never block.
  class Observer {
   public:
    virtual ~Observer() = default;
    virtual void Admitted() = 0;
    virtual void Released() = 0;
    virtual void Rejected(Priority priority) = 0;
  };

  struct Options {
    int max_in_flight = kDefaultLimit;
    Observer* observer = nullptr;  // optional; must outlive the Admission
    // Monotonic microseconds, for call durations; tests substitute their own.
    int64_t (*now_us)() = SteadyMicros;
  };

  // One admitted call's place; given back when destroyed or released. Movable, not copyable.
  class Ticket {
   public:
    Ticket() = default;
    Ticket(Ticket&& other) noexcept;
    Ticket& operator=(Ticket&& other) noexcept;
    Ticket(const Ticket&) = delete;
    Ticket& operator=(const Ticket&) = delete;
    ~Ticket() { Release(); }

    bool held() const { return admission_ != nullptr; }
    // Gives the place back now (the call is done); later calls do nothing.
    void Release();

   private:
    friend class Admission;
    Ticket(Admission* admission, int64_t start_us) : admission_(admission), start_us_(start_us) {}

    Admission* admission_ = nullptr;
    int64_t start_us_ = 0;
  };

  // Why a call was not admitted, and when to come back.
  struct Rejection {
    Priority priority;
    int64_t in_flight;   // calls in flight when it was refused
    int64_t limit;       // calls in flight at which its priority is refused
    int retry_after_ms;  // the hint for the caller
    // RESOURCE_EXHAUSTED "server busy: 256 calls in flight (limit for low-priority calls: 128);
    // retry after 40 ms".
    absl::Status ToStatus() const;
  };

  // `max_in_flight` is clamped to [kMinLimit, kMaxLimit].
  explicit Admission(Options options);
  Admission(const Admission&) = delete;
  Admission& operator=(const Admission&) = delete;

  // A ticket when the call may run now, else a rejection. Never blocks.
  std::variant<Ticket, Rejection> Admit(Priority priority);

  int max_in_flight() const { return max_in_flight_; }
  // Calls in flight at which a call of `priority` is refused.
  int64_t limit(Priority priority) const { return limits_[static_cast<int>(priority)]; }
  int64_t in_flight() const { return in_flight_.load(std::memory_order_relaxed); }
  // Twice the recent mean duration of admitted calls, in [10, 1000] ms.
  int retry_after_ms() const;

  // clamp(ceil(2 × ewma_ms), 10, 1000).
  static int RetryHintMs(double ewma_ms);
  static int64_t SteadyMicros();

 private:
  void Release(int64_t start_us);

  const int max_in_flight_;
  const std::array<int64_t, 3> limits_;  // by Priority
  Observer* const observer_;
  int64_t (*const now_us_)();
  std::atomic<int64_t> in_flight_{0};
  // Exponentially weighted mean of admitted calls' durations in µs; -1 until one has finished.
  std::atomic<int64_t> ewma_us_{-1};
};

}  // namespace orderwatch
