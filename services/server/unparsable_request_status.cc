#include "services/server/unparsable_request_status.h"

#include <google/protobuf/stubs/logging.h>

#include <cstring>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/common/log.h"

namespace orderwatch::server {
namespace {

using grpc::experimental::InterceptionHookPoints;

// The field protobuf last refused on this thread, and when.
struct RefusedField {
  std::string name;
  absl::Time when = absl::InfinitePast();
};
thread_local RefusedField refused;

void OnProtobufLog(google::protobuf::LogLevel level, const char* /*file*/, int /*line*/,
                   const std::string& message) {
  if (std::string field = InvalidUtf8Field(message); !field.empty()) {
    // Not logged: the caller is told, and a client cannot fill the log with its bad requests.
    refused = {std::move(field), absl::Now()};
    return;
  }
  Log(level >= google::protobuf::LOGLEVEL_ERROR ? LogLevel::kError : LogLevel::kWarning,
      absl::StrCat("protobuf: ", message));
}

class UnparsableRequestStatus final : public grpc::experimental::Interceptor {
 public:
  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status status = methods->GetSendStatus();
      if (status.error_code() == grpc::StatusCode::UNIMPLEMENTED &&
          status.error_message().empty()) {
        // Only a refusal just now: an older one belongs to another request.
        const bool utf8 = !refused.name.empty() && absl::Now() - refused.when < absl::Seconds(1);
        methods->ModifySendStatus(grpc::Status(
            grpc::StatusCode::INVALID_ARGUMENT,
            utf8 ? absl::StrCat(refused.name, ": is not valid UTF-8")
                 : "request: cannot be parsed; a string field holds invalid UTF-8, or the "
                   "message is malformed"));
        refused = {};
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

std::string InvalidUtf8Field(std::string_view log) {
  // "String field 'orderwatch.v1.SetRemarkRequest.text' contains invalid UTF-8 data when parsing
  // a protocol buffer. ..."
  constexpr std::string_view kStart = "String field '";
  constexpr std::string_view kPackage = "orderwatch.v1.";
  if (!log.starts_with(kStart) || log.find("invalid UTF-8") == std::string_view::npos) return "";
  std::string_view name = log.substr(kStart.size());
  name = name.substr(0, name.find('\''));
  if (name.starts_with(kPackage)) name.remove_prefix(kPackage.size());
  const size_t dot = name.rfind('.');
  if (dot == std::string_view::npos) return std::string(name);
  const std::string_view message = name.substr(0, dot);
  if (message.ends_with("Request") && message.find('.') == std::string_view::npos) {
    return std::string(name.substr(dot + 1));
  }
  return std::string(name);
}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
UnparsableRequestStatusFactory() {
  static std::once_flag installed;
  std::call_once(installed, [] { google::protobuf::SetLogHandler(&OnProtobufLog); });
  return std::make_unique<Factory>();
}

}  // namespace orderwatch::server
