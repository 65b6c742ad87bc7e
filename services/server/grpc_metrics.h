// Server-side gRPC metrics in the go-grpc-prometheus shape, so community dashboards work unchanged:
// grpc_server_started_total, grpc_server_handled_total{grpc_code="OK"...},
// grpc_server_msg_received_total, grpc_server_msg_sent_total and the
// grpc_server_handling_seconds histogram, each labelled grpc_type, grpc_service, grpc_method.
// Every child is created at start-up for the methods given, so recording takes no lock.
#pragma once

#include <grpcpp/support/server_interceptor.h>
#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <array>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace orderwatch::server {

struct MethodMetrics {
  prometheus::Counter* started;
  std::array<prometheus::Counter*, 17> handled;  // by grpc::StatusCode
  prometheus::Counter* msg_received;
  prometheus::Counter* msg_sent;
  prometheus::Histogram* handling_seconds;
};

// "OK", "Canceled", ... "Unauthenticated": the names go-grpc-prometheus gives codes.
const char* GrpcCodeLabel(int code);

class GrpcMetrics {
 public:
  // `services`: full names of the protobuf services to instrument, e.g. "orderwatch.v1.Remarks".
  GrpcMetrics(prometheus::Registry& registry, const std::vector<std::string>& services);

  // For ServerBuilder::experimental().SetInterceptorCreators().
  std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> InterceptorFactory() const;

  // nullptr for a method not instrumented. `path` is "/package.Service/Method".
  const MethodMetrics* Find(const std::string& path) const;

 private:
  std::map<std::string, MethodMetrics> methods_;
};

}  // namespace orderwatch::server
