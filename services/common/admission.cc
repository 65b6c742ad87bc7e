#include "services/common/admission.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"

namespace orderwatch {
namespace {

// Each finished call moves the mean an eighth of the way to its own duration: about the last
// dozen calls count.
constexpr int64_t kEwmaWeight = 8;

// The calls in flight at which `percent` of `limit` is reached: in_flight < limit × percent / 100
// holds exactly while in_flight < ceil(limit × percent / 100).
int64_t Share(int64_t limit, int64_t percent) { return (limit * percent + 99) / 100; }

}  // namespace

const char* PriorityName(Priority priority) {
  switch (priority) {
    case Priority::kHigh:
      return "high";
    case Priority::kNormal:
      return "normal";
    case Priority::kLow:
      return "low";
  }
  return "unknown";
}

Admission::Ticket::Ticket(Ticket&& other) noexcept
    : admission_(std::exchange(other.admission_, nullptr)), start_us_(other.start_us_) {}

Admission::Ticket& Admission::Ticket::operator=(Ticket&& other) noexcept {
  if (this != &other) {
    Release();
    admission_ = std::exchange(other.admission_, nullptr);
    start_us_ = other.start_us_;
  }
  return *this;
}

void Admission::Ticket::Release() {
  if (Admission* a = std::exchange(admission_, nullptr)) a->Release(start_us_);
}

absl::Status Admission::Rejection::ToStatus() const {
  return absl::ResourceExhaustedError(absl::StrCat(
      "server busy: ", in_flight, " calls in flight (limit for ", PriorityName(priority),
      "-priority calls: ", limit, "); retry after ", retry_after_ms, " ms"));
}

Admission::Admission(Options options)
    : max_in_flight_(std::clamp(options.max_in_flight, kMinLimit, kMaxLimit)),
      limits_{max_in_flight_, Share(max_in_flight_, 75), Share(max_in_flight_, 50)},
      observer_(options.observer),
      now_us_(options.now_us) {}

std::variant<Admission::Ticket, Admission::Rejection> Admission::Admit(Priority priority) {
  const int64_t cap = limit(priority);
  int64_t n = in_flight_.load(std::memory_order_relaxed);
  do {
    if (n >= cap) {
      if (observer_ != nullptr) observer_->Rejected(priority);
      return Rejection{priority, n, cap, retry_after_ms()};
    }
  } while (!in_flight_.compare_exchange_weak(n, n + 1, std::memory_order_acq_rel,
                                             std::memory_order_relaxed));
  if (observer_ != nullptr) observer_->Admitted();
  return Ticket(this, now_us_());
}

void Admission::Release(int64_t start_us) {
  const int64_t took = std::max<int64_t>(0, now_us_() - start_us);
  int64_t mean = ewma_us_.load(std::memory_order_relaxed);
  int64_t next;
  do {
    next = mean < 0 ? took : mean + (took - mean) / kEwmaWeight;
  } while (!ewma_us_.compare_exchange_weak(mean, next, std::memory_order_relaxed));
  in_flight_.fetch_sub(1, std::memory_order_acq_rel);
  if (observer_ != nullptr) observer_->Released();
}

int Admission::retry_after_ms() const {
  const int64_t mean = ewma_us_.load(std::memory_order_relaxed);
  return RetryHintMs(mean < 0 ? 0.0 : static_cast<double>(mean) / 1000.0);
}

int Admission::RetryHintMs(double ewma_ms) {
  const double hint = std::ceil(2.0 * ewma_ms);
  if (!(hint >= 10.0)) return 10;  // also NaN
  if (hint >= 1000.0) return 1000;
  return static_cast<int>(hint);
}

int64_t Admission::SteadyMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace orderwatch
