#include "services/dispatch/webhook_sink.h"

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/thread.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <deque>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"

namespace orderwatch::dispatch {

absl::Status ParseWebhookUrl(std::string_view url, WebhookOptions* o) {
  absl::string_view rest(url.data(), url.size());
  if (!absl::ConsumePrefix(&rest, "http://")) {
    return absl::InvalidArgumentError(
        absl::StrCat("webhook url \"", std::string(url), "\" does not start with http://"));
  }
  const size_t slash = rest.find('/');
  absl::string_view hostport = rest.substr(0, slash);
  o->path = slash == absl::string_view::npos ? "/" : std::string(rest.substr(slash));
  const size_t colon = hostport.rfind(':');
  o->host = std::string(hostport.substr(0, colon));
  o->port = 80;
  if (colon != absl::string_view::npos &&
      (!absl::SimpleAtoi(hostport.substr(colon + 1), &o->port) || o->port < 1 || o->port > 65535)) {
    return absl::InvalidArgumentError(
        absl::StrCat("webhook url \"", std::string(url), "\": bad port"));
  }
  if (o->host.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("webhook url \"", std::string(url), "\" names no host"));
  }
  return absl::OkStatus();
}

absl::Status ParseRateLimits(std::string_view spec, WebhookOptions* o) {
  o->per_second.clear();
  if (spec.empty()) return absl::OkStatus();
  for (absl::string_view item : absl::StrSplit(absl::string_view(spec.data(), spec.size()), ',')) {
    std::pair<absl::string_view, absl::string_view> kv = absl::StrSplit(item, '=');
    double rate = 0;
    const bool known = std::find(kChannels.begin(), kChannels.end(), kv.first) != kChannels.end();
    if (!known || !absl::SimpleAtod(kv.second, &rate) || rate <= 0 || rate > 1e6) {
      return absl::InvalidArgumentError(
          absl::StrCat("rate limit \"", std::string(item),
                       "\" is not <channel>=<per second> with channel im, sms, phone or warehouse"));
    }
    o->per_second[std::string(kv.first)] = rate;
  }
  return absl::OkStatus();
}

std::string WebhookSignature(const std::string& secret, const std::string& timestamp,
                             const std::string& body) {
  const std::string message = timestamp + "." + body;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &length);
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(mac), length));
}

// Everything but `incoming` and `stopping` (under `mu`) is touched only by the loop thread.
struct WebhookSink::Loop {
  struct Request {
    std::string channel, key, timestamp, body;
    absl::Time queued;
    absl::AnyInvocable<void(absl::Status)> done;
    Loop* loop = nullptr;
  };
  struct Bucket {
    double per_second = 0;  // 0: not limited
    double tokens = 0;
    absl::Time refilled;
    std::deque<std::unique_ptr<Request>> waiting;
  };

  WebhookOptions options;
  event_base* base = nullptr;
  event* wake = nullptr;
  event* tick = nullptr;
  std::vector<evhttp_connection*> connections;
  size_t next = 0;
  std::map<std::string, Bucket> buckets;  // made on a channel's first message
  int in_flight = 0;
  bool draining = false;  // stopping: nothing more is sent; end once in-flight calls are back
  absl::Mutex mu;
  std::vector<std::unique_ptr<Request>> incoming ABSL_GUARDED_BY(mu);
  bool stopping ABSL_GUARDED_BY(mu) = false;
  std::thread thread;

  explicit Loop(WebhookOptions o) : options(std::move(o)) {
    evthread_use_pthreads();
    base = event_base_new();
    wake = event_new(base, -1, 0, &Loop::OnWake, this);
    tick = event_new(base, -1, EV_PERSIST, &Loop::OnTick, this);
    timeval every = absl::ToTimeval(absl::Milliseconds(20));
    evtimer_add(tick, &every);
    for (int i = 0; i < std::max(1, options.connections); ++i) {
      evhttp_connection* c = evhttp_connection_base_new(base, nullptr, options.host.c_str(),
                                                        static_cast<uint16_t>(options.port));
      timeval timeout = absl::ToTimeval(options.timeout);
      evhttp_connection_set_timeout_tv(c, &timeout);
      evhttp_connection_set_retries(c, 0);
      connections.push_back(c);
    }
  }

  Bucket& BucketOf(const std::string& channel) {
    auto [it, made] = buckets.try_emplace(channel);
    if (made) {
      auto rate = options.per_second.find(channel);
      it->second.per_second = rate == options.per_second.end() ? 0 : rate->second;
      it->second.tokens = std::max(1.0, it->second.per_second);
      it->second.refilled = absl::Now();
    }
    return it->second;
  }

  ~Loop() {
    for (evhttp_connection* c : connections) evhttp_connection_free(c);
    event_free(tick);
    event_free(wake);
    event_base_free(base);
  }

  static void OnWake(evutil_socket_t, short, void* arg) {
    auto* loop = static_cast<Loop*>(arg);
    std::vector<std::unique_ptr<Request>> batch;
    bool stop = false;
    {
      absl::MutexLock lock(&loop->mu);
      batch.swap(loop->incoming);
      stop = loop->stopping;
    }
    for (auto& r : batch) loop->BucketOf(r->channel).waiting.push_back(std::move(r));
    if (stop) loop->Drain();
    loop->Pump();
  }

  static void OnTick(evutil_socket_t, short, void* arg) { static_cast<Loop*>(arg)->Pump(); }

  // Stop: whatever waits fails (the delivery queue hands it over again later); in-flight calls
  // finish within the timeout.
  void Drain() {
    draining = true;
    for (auto& [channel, b] : buckets) {
      for (auto& r : b.waiting) r->done(absl::UnavailableError("webhook: sink stopped"));
      b.waiting.clear();
    }
  }

  void Pump() {
    if (draining) {
      if (in_flight == 0) event_base_loopbreak(base);
      return;
    }
    const absl::Time now = absl::Now();
    for (auto& [channel, b] : buckets) {
      if (b.per_second > 0) {
        b.tokens = std::min(std::max(1.0, b.per_second),
                            b.tokens + absl::ToDoubleSeconds(now - b.refilled) * b.per_second);
        b.refilled = now;
      }
      while (!b.waiting.empty() && (b.per_second == 0 || b.tokens >= 1)) {
        if (b.per_second > 0) b.tokens -= 1;
        std::unique_ptr<Request> r = std::move(b.waiting.front());
        b.waiting.pop_front();
        Send(std::move(r));
      }
      // Over the channel's rate for longer than a delivery should wait: fail, retried later.
      while (!b.waiting.empty() && now - b.waiting.front()->queued > options.most_wait) {
        b.waiting.front()->done(absl::ResourceExhaustedError(
            absl::StrCat("webhook: over the ", channel,
                         " rate limit of ", b.per_second, "/s")));
        b.waiting.pop_front();
      }
    }
  }

  void Send(std::unique_ptr<Request> owned) {
    Request* r = owned.get();
    r->loop = this;
    evhttp_request* req = evhttp_request_new(&Loop::OnResponse, r);
    evkeyvalq* headers = evhttp_request_get_output_headers(req);
    const std::string host = absl::StrCat(options.host, ":", options.port);
    const std::string signature =
        "sha256=" + WebhookSignature(options.secret, r->timestamp, r->body);
    evhttp_add_header(headers, "Host", host.c_str());
    evhttp_add_header(headers, "Content-Type", "application/json");
    evhttp_add_header(headers, "Idempotency-Key", r->key.c_str());
    evhttp_add_header(headers, "X-Orderwatch-Timestamp", r->timestamp.c_str());
    evhttp_add_header(headers, "X-Orderwatch-Signature", signature.c_str());
    evbuffer_add(evhttp_request_get_output_buffer(req), r->body.data(), r->body.size());
    evhttp_connection* c = connections[next++ % connections.size()];
    owned.release();  // OnResponse takes it back
    ++in_flight;
    if (evhttp_make_request(c, req, EVHTTP_REQ_POST, options.path.c_str()) != 0) {
      // libevent freed the request without calling back.
      std::unique_ptr<Request> back(r);
      --in_flight;
      back->done(absl::UnavailableError("webhook: cannot send"));
    }
  }

  static void OnResponse(evhttp_request* req, void* arg) {
    std::unique_ptr<Request> r(static_cast<Request*>(arg));
    Loop* loop = r->loop;
    --loop->in_flight;
    const int code = req == nullptr ? 0 : evhttp_request_get_response_code(req);
    if (code >= 200 && code < 300) {
      r->done(absl::OkStatus());
    } else if (code == 0) {
      r->done(absl::UnavailableError("webhook: no answer"));
    } else {
      r->done(absl::UnavailableError(absl::StrCat("webhook: HTTP ", code)));
    }
    if (loop->draining && loop->in_flight == 0) event_base_loopbreak(loop->base);
  }
};

absl::StatusOr<std::unique_ptr<WebhookSink>> WebhookSink::Open(WebhookOptions options) {
  if (options.secret.empty()) {
    return absl::InvalidArgumentError("webhook sink: a signing secret is required");
  }
  auto loop = std::make_unique<Loop>(std::move(options));
  Loop* l = loop.get();
  l->thread = std::thread([l] { event_base_dispatch(l->base); });
  return std::unique_ptr<WebhookSink>(new WebhookSink(std::move(loop)));
}

WebhookSink::WebhookSink(std::unique_ptr<Loop> loop) : loop_(std::move(loop)) {}

WebhookSink::~WebhookSink() {
  {
    absl::MutexLock lock(&loop_->mu);
    loop_->stopping = true;
  }
  event_active(loop_->wake, 0, 0);
  loop_->thread.join();
}

void WebhookSink::Deliver(const Delivery& delivery, absl::AnyInvocable<void(absl::Status)> done) {
  auto r = std::make_unique<Loop::Request>();
  r->channel = delivery.channel;
  r->key = delivery.idempotency_key;
  r->timestamp = absl::StrCat(absl::ToUnixMillis(absl::Now()));
  r->body = delivery.json;
  r->queued = absl::Now();
  r->done = std::move(done);
  {
    absl::MutexLock lock(&loop_->mu);
    if (!loop_->stopping) {
      loop_->incoming.push_back(std::move(r));
    }
  }
  if (r != nullptr) return r->done(absl::UnavailableError("webhook: sink stopped"));
  event_active(loop_->wake, 0, 0);
}

}  // namespace orderwatch::dispatch
