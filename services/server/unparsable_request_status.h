// gRPC answers a request it cannot parse (protobuf refuses invalid UTF-8 in a string field, or a
// malformed message) with UNIMPLEMENTED and no message, before any handler runs. For the
// orderwatch services every method is implemented, so that answer can only mean bad input: this
// interceptor turns it into INVALID_ARGUMENT saying so.
#pragma once

#include <grpcpp/support/server_interceptor.h>

#include <memory>

namespace orderwatch::server {

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
UnparsableRequestStatusFactory();

}  // namespace orderwatch::server
