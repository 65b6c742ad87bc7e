// gRPC answers a request it cannot parse (protobuf refuses invalid UTF-8 in a string field, or a
// malformed message) with UNIMPLEMENTED and no message, before any handler runs. For the
// orderwatch services every method is implemented, so that answer can only mean bad input: this
// interceptor turns it into INVALID_ARGUMENT saying so, and names the string field that held
// invalid UTF-8. Protobuf reports that field only to its log, on the thread that parsed the
// request, which is the thread that sends the answer; so the factory also installs a protobuf
// log handler that keeps the field for the interceptor (and sends protobuf's other messages to
// orderwatch's log).
#pragma once

#include <grpcpp/support/server_interceptor.h>

#include <memory>
#include <string>
#include <string_view>

namespace orderwatch::server {

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
UnparsableRequestStatusFactory();

// "text" for "orderwatch.v1.SetRemarkRequest.text" (a field of the request itself), else the
// message and the field: "ReminderPolicy.shop_name". Empty when `log` is not protobuf's message
// on invalid UTF-8.
std::string InvalidUtf8Field(std::string_view log);

}  // namespace orderwatch::server
