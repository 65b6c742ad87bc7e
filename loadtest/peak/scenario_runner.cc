#include "loadtest/peak/scenario_runner.h"

#include <unistd.h>

#include <algorithm>
#include <queue>
#include <thread>

#include "absl/strings/str_cat.h"

namespace orderwatch::load {
namespace {

constexpr int64_t kMinute = 60 * 1000;

int64_t NowUnixMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

struct ScenarioRunner::Call {
  grpc::ClientContext ctx;
  CallKind kind;
  Clock::time_point due;
  int phase = 0;
  int second = 0;
  CallStats* stats = nullptr;
  v1::RecordEventRequest record;
  v1::RecordEventResponse recorded;
  v1::BatchGetRemarksRequest batch;
  v1::BatchGetRemarksResponse batch_reply;
  v1::AppendRemarkRequest append;
  v1::Remark remark;
  v1::TriggerReminderRequest trigger;
  v1::Reminder reminder;
};

ScenarioRunner::ScenarioRunner(const RunnerOptions& options, const Mix& mix, uint64_t seed)
    : options_(options),
      prefix_(absl::StrCat("pk", absl::Hex(NowUnixMs()), getpid() % 1000, "-")),
      flow_(mix, seed) {
  for (int i = 0; i < options_.channels; ++i) {
    grpc::ChannelArguments args;
    args.SetInt("grpc.use_local_subchannel_pool", 1);  // a connection per channel
    args.SetInt("orderwatch.load.channel", i);
    channels_.push_back(
        grpc::CreateCustomChannel(options_.addr, grpc::InsecureChannelCredentials(), args));
    events_.push_back(v1::OrderEvents::NewStub(channels_.back()));
    remarks_.push_back(v1::Remarks::NewStub(channels_.back()));
    reminders_.push_back(v1::Reminders::NewStub(channels_.back()));
  }
}

ScenarioRunner::~ScenarioRunner() = default;

std::string ScenarioRunner::OrderId(int64_t n) const { return absl::StrCat(prefix_, n); }

std::string ScenarioRunner::Connect() {
  for (auto& ch : channels_) {
    if (!ch->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(10))) {
      return "cannot connect to " + options_.addr;
    }
  }
  return "";
}

void ScenarioRunner::Run(const LoadCurve& curve, double base, CallStats* stats) {
  std::priority_queue<Action, std::vector<Action>, std::greater<Action>> due;
  std::vector<Action> born;
  const Clock::time_point origin = Clock::now();
  const double end_s = curve.total_s();
  auto at = [&](double s) {
    return origin + std::chrono::nanoseconds(static_cast<int64_t>(s * 1e9));
  };
  double next_create_s = 0;
  while (true) {
    const double now_s = std::chrono::duration<double>(Clock::now() - origin).count();
    if (now_s >= end_s) break;
    while (next_create_s <= now_s) {
      const int phase = curve.PhaseAt(next_create_s);
      const std::string& name = curve.phases()[phase].name;
      born.clear();
      flow_.OnCreated(next_order_++, next_create_s, name == "step" || name == "hold", &born);
      for (const Action& a : born) due.push(a);
      next_create_s += 1.0 / std::max(1e-3, base * curve.Multiplier(next_create_s));
    }
    while (!due.empty() && due.top().at_s <= now_s) {
      const Action a = due.top();
      due.pop();
      Issue(a, at(a.at_s), curve.PhaseAt(a.at_s), static_cast<int>(a.at_s), stats);
    }
    double wake_s = next_create_s;
    if (!due.empty()) wake_s = std::min(wake_s, due.top().at_s);
    // Sleeping less than 200 us costs more than it helps: calls due meanwhile go out together
    // (their latency still counts from their due time).
    std::this_thread::sleep_until(
        std::max(at(std::min(wake_s, end_s)), Clock::now() + std::chrono::microseconds(200)));
  }
  const auto give_up = Clock::now() + std::chrono::milliseconds(options_.timeout_ms + 3000);
  while (in_flight() > 0 && Clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

void ScenarioRunner::Issue(const Action& a, Clock::time_point due, int phase, int second,
                           CallStats* stats) {
  if (in_flight_.load(std::memory_order_relaxed) >= options_.max_in_flight) {
    stats->Unsent(phase, second, a.kind);
    return;
  }
  in_flight_.fetch_add(1, std::memory_order_relaxed);
  auto* call = new Call;
  call->kind = a.kind;
  call->due = due;
  call->phase = phase;
  call->second = second;
  call->stats = stats;
  const bool storefront = a.kind != CallKind::kRemarkWrite && a.kind != CallKind::kTrigger;
  call->ctx.AddMetadata("x-orderwatch-shop", options_.shop);
  call->ctx.AddMetadata("x-orderwatch-agent", storefront ? "storefront" : "agent7");
  call->ctx.AddMetadata("x-orderwatch-role", storefront ? "storefront" : "agent");
  call->ctx.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::milliseconds(options_.timeout_ms));
  const size_t ch = next_channel_++ % channels_.size();
  auto done = [this, call](grpc::Status s) { Finish(call, s); };
  const std::string order = OrderId(a.order);
  switch (a.kind) {
    case CallKind::kCreated:
    case CallKind::kPaid:
    case CallKind::kClosed:
    case CallKind::kShipped:
      FillEvent(a, order, call->record.mutable_event());
      events_[ch]->async()->Record(&call->ctx, &call->record, &call->recorded, std::move(done));
      break;
    case CallKind::kPageRead:
      flow_.PageOf(std::min<int64_t>(a.order, next_order_ - 1), &page_);
      for (int64_t n : page_) call->batch.add_order_ids(OrderId(n));
      remarks_[ch]->async()->BatchGet(&call->ctx, &call->batch, &call->batch_reply,
                                      std::move(done));
      break;
    case CallKind::kRemarkWrite:
      call->append.set_request_id(absl::StrCat(order, "-r"));
      call->append.set_order_id(order);
      call->append.set_reason("客户要求顺丰, 周五前送达");
      remarks_[ch]->async()->Append(&call->ctx, &call->append, &call->remark, std::move(done));
      break;
    case CallKind::kTrigger:
      call->trigger.set_request_id(absl::StrCat(order, "-t"));
      call->trigger.set_order_id(order);
      reminders_[ch]->async()->Trigger(&call->ctx, &call->trigger, &call->reminder,
                                       std::move(done));
      break;
  }
}

void ScenarioRunner::FillEvent(const Action& a, const std::string& order, v1::OrderEvent* e) const {
  const int64_t now_ms = NowUnixMs();
  e->set_order_id(order);
  e->set_event_unix_ms(now_ms);
  switch (a.kind) {
    case CallKind::kCreated: {
      e->set_event_id("c");
      v1::OrderCreated* c = e->mutable_created();
      c->set_amount_fen(9900 + a.order % 50 * 1000);
      c->set_buyer_id(absl::StrCat("pb", a.order));
      c->set_buyer_phone_hash(absl::StrCat(absl::Hex(a.order * 2654435761u, absl::kZeroPad12)));
      c->set_item_summary("羽绒服 x1");
      c->set_created_unix_ms(now_ms);
      c->set_flash_sale(a.flash_sale);
      c->set_auto_close_unix_ms(now_ms + (a.flash_sale ? 30 : 24 * 60) * kMinute);
      // The default shipment policy warns 240 min before the ship-by deadline.
      c->set_ship_by_unix_ms(a.at_risk
                                 ? now_ms + 240 * kMinute +
                                       static_cast<int64_t>(flow_.mix().at_risk_after_s * 1000)
                                 : now_ms + 48 * 60 * kMinute);
      break;
    }
    case CallKind::kPaid:
      e->set_event_id("p");
      e->mutable_paid();
      break;
    case CallKind::kClosed:
      e->set_event_id("x");
      e->mutable_closed()->set_reason("buyer cancelled");
      break;
    case CallKind::kShipped:
      e->set_event_id("s");
      e->mutable_shipped()->set_carrier("SF");
      e->mutable_shipped()->set_tracking_no(absl::StrCat("SF", a.order));
      break;
    default:
      break;
  }
}

void ScenarioRunner::Finish(Call* call, const grpc::Status& status) {
  const int64_t ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - call->due).count();
  call->stats->Record(call->phase, call->second, call->kind, ns,
                      static_cast<int>(status.error_code()), status.error_message());
  delete call;
  in_flight_.fetch_sub(1, std::memory_order_relaxed);
}

}  // namespace orderwatch::load
