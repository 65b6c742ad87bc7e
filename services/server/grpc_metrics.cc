#include "services/server/grpc_metrics.h"

#include <google/protobuf/descriptor.h>

#include <chrono>

namespace orderwatch::server {
namespace {

using grpc::experimental::InterceptionHookPoints;

class MetricsInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit MetricsInterceptor(const MethodMetrics* m)
      : metrics_(m), start_(std::chrono::steady_clock::now()) {
    metrics_->started->Increment();
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE)) {
      metrics_->msg_received->Increment();
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_MESSAGE)) {
      metrics_->msg_sent->Increment();
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      const int code = static_cast<int>(methods->GetSendStatus().error_code());
      metrics_->handled[code >= 0 && code < 17 ? code : 2]->Increment();
      metrics_->handling_seconds->Observe(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count());
    }
    methods->Proceed();
  }

 private:
  const MethodMetrics* metrics_;
  std::chrono::steady_clock::time_point start_;
};

class MetricsInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit MetricsInterceptorFactory(const GrpcMetrics* metrics) : metrics_(metrics) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    const MethodMetrics* m = metrics_->Find(info->method());
    return m == nullptr ? nullptr : new MetricsInterceptor(m);
  }

 private:
  const GrpcMetrics* metrics_;
};

const char* TypeOf(const google::protobuf::MethodDescriptor& m) {
  if (m.client_streaming() && m.server_streaming()) return "bidi_stream";
  if (m.client_streaming()) return "client_stream";
  if (m.server_streaming()) return "server_stream";
  return "unary";
}

}  // namespace

const char* GrpcCodeLabel(int code) {
  static constexpr const char* kNames[17] = {
      "OK",       "Canceled",       "Unknown",          "InvalidArgument",   "DeadlineExceeded",
      "NotFound", "AlreadyExists",  "PermissionDenied", "ResourceExhausted", "FailedPrecondition",
      "Aborted",  "OutOfRange",     "Unimplemented",    "Internal",          "Unavailable",
      "DataLoss", "Unauthenticated"};
  return code >= 0 && code < 17 ? kNames[code] : "Unknown";
}

GrpcMetrics::GrpcMetrics(prometheus::Registry& registry, const std::vector<std::string>& services) {
  auto& started = prometheus::BuildCounter()
                      .Name("grpc_server_started_total")
                      .Help("Total number of RPCs started on the server.")
                      .Register(registry);
  auto& handled = prometheus::BuildCounter()
                      .Name("grpc_server_handled_total")
                      .Help(
                          "Total number of RPCs completed on the server, regardless of success "
                          "or failure.")
                      .Register(registry);
  auto& received = prometheus::BuildCounter()
                       .Name("grpc_server_msg_received_total")
                       .Help("Total number of RPC stream messages received on the server.")
                       .Register(registry);
  auto& sent = prometheus::BuildCounter()
                   .Name("grpc_server_msg_sent_total")
                   .Help("Total number of gRPC stream messages sent by the server.")
                   .Register(registry);
  auto& seconds = prometheus::BuildHistogram()
                      .Name("grpc_server_handling_seconds")
                      .Help(
                          "Histogram of response latency (seconds) of gRPC that had been "
                          "application-level handled by the server.")
                      .Register(registry);
  const prometheus::Histogram::BucketBoundaries buckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  for (const auto& service_name : services) {
    const auto* service = pool->FindServiceByName(service_name);
    if (service == nullptr) continue;
    for (int i = 0; i < service->method_count(); ++i) {
      const auto* method = service->method(i);
      const prometheus::Labels labels = {{"grpc_type", TypeOf(*method)},
                                         {"grpc_service", service->full_name()},
                                         {"grpc_method", method->name()}};
      MethodMetrics m;
      m.started = &started.Add(labels);
      for (int code = 0; code < 17; ++code) {
        prometheus::Labels with_code = labels;
        with_code["grpc_code"] = GrpcCodeLabel(code);
        m.handled[code] = &handled.Add(with_code);
      }
      m.msg_received = &received.Add(labels);
      m.msg_sent = &sent.Add(labels);
      m.handling_seconds = &seconds.Add(labels, buckets);
      methods_.emplace("/" + service->full_name() + "/" + method->name(), m);
    }
  }
}

const MethodMetrics* GrpcMetrics::Find(const std::string& path) const {
  auto it = methods_.find(path);
  return it == methods_.end() ? nullptr : &it->second;
}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
GrpcMetrics::InterceptorFactory() const {
  return std::make_unique<MetricsInterceptorFactory>(this);
}

}  // namespace orderwatch::server
