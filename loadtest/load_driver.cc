#include "loadtest/load_driver.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <thread>

namespace orderwatch::load {
namespace {

std::string OrderId(int n) { return "ord-" + std::to_string(n); }

double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// Unique per process run, so request ids (kept 24 h by the server for retries) never repeat.
std::string MakeRunId() {
  const auto ns = std::chrono::system_clock::now().time_since_epoch().count();
  char buf[48];
  std::snprintf(buf, sizeof(buf), "L%llx.%d", static_cast<unsigned long long>(ns),
                static_cast<int>(getpid()));
  return buf;
}

uint64_t NextRandom(uint64_t& x) {  // xorshift64*
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  return x * 2685821657736338717ULL;
}

// "... is at version N; ..." in the server's ABORTED message.
bool VersionFromAborted(const std::string& message, int64_t* version) {
  const std::string marker = "is at version ";
  const size_t at = message.find(marker);
  if (at == std::string::npos) return false;
  char* end = nullptr;
  const long long v = std::strtoll(message.c_str() + at + marker.size(), &end, 10);
  if (end == message.c_str() + at + marker.size()) return false;
  *version = v;
  return true;
}

}  // namespace

struct Driver::Slot {
  int index = 0;
  v1::Remarks::Stub* stub = nullptr;
  uint64_t rng = 0;
  uint64_t seq = 0;
  int owned = 0;  // --op=set: orders index, index + C, index + 2C, ...
  int next_owned = 0;
  int order = -1;           // --op=set: the order of the call in flight
  Clock::time_point start;  // closed loop: when sent; open loop: when due
  Clock::time_point sent;
  std::unique_ptr<grpc::ClientContext> ctx;
  v1::SetRemarkRequest set_request;
  v1::Remark remark;
  v1::BatchGetRemarksRequest batch_request;
  v1::BatchGetRemarksResponse batch_response;
  v1::GetRemarkRequest get_request;
  // Results of this slot's measured calls; merged after the run.
  std::vector<int64_t> latencies;
  std::vector<int64_t> send_lags;  // open loop: sent - due
  std::array<uint64_t, kCodes> codes{};
  std::array<std::string, kCodes> example_message;
  uint64_t orders_read = 0;
};

Driver::Driver(const Options& options) : options_(options), run_id_(MakeRunId()) {
  for (int i = 0; i < options_.channels; ++i) {
    grpc::ChannelArguments args;
    // Channels with equal arguments would share one connection: keep each on its own.
    args.SetInt("grpc.use_local_subchannel_pool", 1);
    args.SetInt("orderwatch.load.channel", i);
    args.SetMaxReceiveMessageSize(-1);
    channels_.push_back(
        grpc::CreateCustomChannel(options_.addr, grpc::InsecureChannelCredentials(), args));
    stubs_.push_back(v1::Remarks::NewStub(channels_.back()));
  }
  const int c = options_.concurrency;
  for (int i = 0; i < c; ++i) {
    auto s = std::make_unique<Slot>();
    s->index = i;
    s->stub = stubs_[i % stubs_.size()].get();
    s->rng =
        0x9E3779B97F4A7C15ULL * static_cast<uint64_t>(i + 1) ^ std::hash<std::string>{}(run_id_);
    if (s->rng == 0) s->rng = 1;
    s->owned = i < options_.orders ? (options_.orders - 1 - i) / c + 1 : 0;
    s->next_owned = static_cast<int>(NextRandom(s->rng) % std::max(1, s->owned));
    s->latencies.reserve(4096);
    slots_.push_back(std::move(s));
  }
  if (options_.op == Op::kSet) versions_.assign(options_.orders, 0);
}

Driver::~Driver() = default;

std::string Driver::Prepare() {
  for (auto& ch : channels_) {
    if (!ch->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(10))) {
      return "cannot connect to " + options_.addr;
    }
  }
  if (options_.op != Op::kSet) return "";
  constexpr int kChunk = 500;
  for (int first = 0; first < options_.orders; first += kChunk) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("x-orderwatch-shop", options_.shop);
    ctx.AddMetadata("x-orderwatch-agent", options_.agent);
    ctx.AddMetadata("x-orderwatch-role", "agent");
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    v1::BatchGetRemarksRequest request;
    const int last = std::min(options_.orders, first + kChunk);
    for (int n = first; n < last; ++n) request.add_order_ids(OrderId(n));
    v1::BatchGetRemarksResponse response;
    grpc::Status st = stubs_[0]->BatchGet(&ctx, request, &response);
    if (!st.ok()) return "reading versions: " + st.error_message();
    if (response.remarks_size() != last - first) return "reading versions: short reply";
    for (int n = first; n < last; ++n) versions_[n] = response.remarks(n - first).version();
  }
  return "";
}

Driver::Clock::time_point Driver::Due(uint64_t seq) const {
  return origin_ + std::chrono::nanoseconds(
                       static_cast<int64_t>(static_cast<double>(seq) * 1e9 / options_.rate));
}

uint64_t Driver::FirstDueAtOrAfter(Clock::time_point t) const {
  const double ns = static_cast<double>((t - origin_).count());
  uint64_t i = static_cast<uint64_t>(std::max(0.0, std::ceil(ns * options_.rate / 1e9)));
  while (i > 0 && Due(i - 1) >= t) --i;
  while (Due(i) < t) ++i;
  return i;
}

void Driver::Issue(Slot* s, Clock::time_point start) {
  s->start = start;
  s->sent = Clock::now();
  s->ctx = std::make_unique<grpc::ClientContext>();
  s->ctx->AddMetadata("x-orderwatch-shop", options_.shop);
  s->ctx->AddMetadata("x-orderwatch-agent", options_.agent);
  s->ctx->AddMetadata("x-orderwatch-role", "agent");
  s->ctx->set_deadline(std::chrono::system_clock::now() +
                       std::chrono::milliseconds(options_.timeout_ms));
  auto done = [this, s](grpc::Status st) { OnDone(s, st); };
  const uint64_t seq = s->seq++;
  switch (options_.op) {
    case Op::kSet: {
      s->order = s->index + (s->next_owned++ % s->owned) * options_.concurrency;
      const int64_t v = versions_[s->order];
      auto& r = s->set_request;
      r.set_request_id(run_id_ + "-" + std::to_string(s->index) + "-" + std::to_string(seq));
      r.set_order_id(OrderId(s->order));
      r.set_expected_version(v);
      r.set_flag(static_cast<v1::Flag>(v % 5 + 1));  // a new colour each time
      r.set_text("催发货: 客户要求顺丰, 周五前送达 (load call " + std::to_string(seq) + ")");
      s->remark.Clear();
      s->stub->async()->Set(s->ctx.get(), &s->set_request, &s->remark, std::move(done));
      break;
    }
    case Op::kBatchGet: {
      auto& r = s->batch_request;
      r.clear_order_ids();
      for (int i = 0; i < options_.batch; ++i) {
        r.add_order_ids(OrderId(static_cast<int>(NextRandom(s->rng) % options_.orders)));
      }
      s->batch_response.Clear();
      s->stub->async()->BatchGet(s->ctx.get(), &s->batch_request, &s->batch_response,
                                 std::move(done));
      break;
    }
    case Op::kGet: {
      s->get_request.set_order_id(OrderId(static_cast<int>(NextRandom(s->rng) % options_.orders)));
      s->remark.Clear();
      s->stub->async()->Get(s->ctx.get(), &s->get_request, &s->remark, std::move(done));
      break;
    }
  }
}

void Driver::OnDone(Slot* s, const grpc::Status& status) {
  const auto now = Clock::now();
  const int code = std::clamp(static_cast<int>(status.error_code()), 0, kCodes - 1);
  if (s->start >= measure_start_ && s->start < measure_end_) {
    s->latencies.push_back(
        std::chrono::duration_cast<std::chrono::nanoseconds>(now - s->start).count());
    if (options_.open_loop()) {
      s->send_lags.push_back(
          std::chrono::duration_cast<std::chrono::nanoseconds>(s->sent - s->start).count());
    }
    ++s->codes[code];
    if (!status.ok() && s->example_message[code].empty()) {
      s->example_message[code] = status.error_message();
    }
    if (status.ok() && options_.op == Op::kBatchGet)
      s->orders_read += s->batch_response.remarks_size();
    if (status.ok() && options_.op == Op::kGet) ++s->orders_read;
  }
  if (options_.op == Op::kSet) {
    if (status.ok()) {
      versions_[s->order] = s->remark.version();
    } else if (status.error_code() == grpc::StatusCode::ABORTED) {
      // A bug somewhere, counted above; resynchronise so that one miss does not repeat forever.
      VersionFromAborted(status.error_message(), &versions_[s->order]);
    }
  }
  Next(s, now);
}

void Driver::Next(Slot* s, Clock::time_point now) {
  Clock::time_point start;
  bool send = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!stopping_) {
      if (!options_.open_loop()) {
        if (now < measure_end_) {
          send = true;
          start = now;
        }
      } else {
        const auto due = Due(next_seq_);
        if (due <= now && due < measure_end_) {  // a call is overdue: send it on this slot
          send = true;
          start = due;
          ++next_seq_;
        }
      }
    }
    if (!send) {
      free_.push_back(s);
      --in_flight_;
      if (in_flight_ == 0 || scheduler_waits_for_slot_) cv_.notify_all();
    }
  }
  if (send) Issue(s, options_.open_loop() ? start : Clock::now());
}

void Driver::Schedule() {
  constexpr auto kSendTick = std::chrono::microseconds(500);
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    auto now = Clock::now();
    // Done when no call is due before the end; past the end, calls still waiting for a slot
    // stay unsent (the in-flight cap held them back). A wake-up at the end still sends the calls
    // that fell due during the last tick.
    if (Due(next_seq_) >= measure_end_ || (now >= measure_end_ && free_.empty())) break;
    while (!free_.empty()) {
      const auto due = Due(next_seq_);
      if (due > now || due >= measure_end_) break;
      Slot* s = free_.front();  // round robin: every slot's orders get written
      free_.pop_front();
      ++in_flight_;
      ++next_seq_;
      lock.unlock();
      Issue(s, due);
      lock.lock();
      now = Clock::now();
    }
    const auto due = Due(next_seq_);
    if (due <= now && free_.empty()) {
      // Overdue calls wait for a slot; finishing calls send them, or wake us when one is free.
      scheduler_waits_for_slot_ = true;
      cv_.wait_until(lock, measure_end_);
      scheduler_waits_for_slot_ = false;
    } else {
      // Sleep at least kSendTick: calls that fall due meanwhile go out together. One wake-up
      // per call cost as much CPU as the server's work at 10k calls/s, on the cores the server
      // shares; latency still counts from each call's due time, so the wait is not hidden.
      cv_.wait_until(lock, std::min(std::max(due, now + kSendTick), measure_end_));
    }
  }
}

RunResult Driver::Run() {
  RunResult result;
  const auto warmup = std::chrono::nanoseconds(static_cast<int64_t>(options_.warmup_s * 1e9));
  const auto duration = std::chrono::nanoseconds(static_cast<int64_t>(options_.duration_s * 1e9));
  std::thread scheduler;
  {
    std::lock_guard<std::mutex> lock(mu_);
    origin_ = Clock::now();
    measure_start_ = origin_ + warmup;
    measure_end_ = measure_start_ + duration;
    for (auto& s : slots_) free_.push_back(s.get());
  }
  if (options_.open_loop()) {
    scheduler = std::thread([this] { Schedule(); });
  } else {
    std::vector<Slot*> all;
    {
      std::lock_guard<std::mutex> lock(mu_);
      all.assign(free_.begin(), free_.end());
      free_.clear();
      in_flight_ = static_cast<int>(all.size());
    }
    for (Slot* s : all) Issue(s, Clock::now());
  }
  std::this_thread::sleep_until(measure_start_);
  const double cpu0 = CpuSeconds();
  std::this_thread::sleep_until(measure_end_);
  const double cpu1 = CpuSeconds();
  result.cpu_s = cpu1 - cpu0;
  if (scheduler.joinable()) scheduler.join();
  {
    std::unique_lock<std::mutex> lock(mu_);
    stopping_ = true;
    if (options_.open_loop()) {
      // Calls due inside the window that never got a slot.
      const uint64_t first = std::max(next_seq_, FirstDueAtOrAfter(measure_start_));
      const uint64_t end = FirstDueAtOrAfter(measure_end_);
      result.unsent = end > first ? end - first : 0;
    }
    cv_.wait_for(lock, std::chrono::milliseconds(options_.timeout_ms + 5000),
                 [this] { return in_flight_ == 0; });
    result.unfinished = in_flight_;
  }
  result.measured_s = options_.duration_s;
  if (result.unfinished > 0) return result;  // slots are still in use: do not read them
  for (auto& s : slots_) {
    result.latencies_ns.insert(result.latencies_ns.end(), s->latencies.begin(), s->latencies.end());
    result.send_lags_ns.insert(result.send_lags_ns.end(), s->send_lags.begin(), s->send_lags.end());
    for (int c = 0; c < kCodes; ++c) {
      result.codes[c] += s->codes[c];
      if (result.example_message[c].empty()) result.example_message[c] = s->example_message[c];
    }
    result.orders_read += s->orders_read;
  }
  for (int c = 0; c < kCodes; ++c) result.calls += result.codes[c];
  result.ok = result.codes[0];
  return result;
}

}  // namespace orderwatch::load
