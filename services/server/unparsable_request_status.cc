#include "services/server/unparsable_request_status.h"

#include <cstring>

namespace orderwatch::server {
namespace {

using grpc::experimental::InterceptionHookPoints;

class UnparsableRequestStatus final : public grpc::experimental::Interceptor {
 public:
  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status status = methods->GetSendStatus();
      if (status.error_code() == grpc::StatusCode::UNIMPLEMENTED &&
          status.error_message().empty()) {
        methods->ModifySendStatus(grpc::Status(
            grpc::StatusCode::INVALID_ARGUMENT,
            "request: cannot be parsed; a string field holds invalid UTF-8, or the message is "
            "malformed"));
      }
    }
    methods->Proceed();
  }
};

class Factory final : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    // Only orderwatch's own services, whose methods all exist.
    constexpr char kPrefix[] = "/orderwatch.v1.";
    return std::strncmp(info->method(), kPrefix, sizeof(kPrefix) - 1) == 0
               ? new UnparsableRequestStatus()
               : nullptr;
  }
};

}  // namespace

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
UnparsableRequestStatusFactory() {
  return std::make_unique<Factory>();
}

}  // namespace orderwatch::server
