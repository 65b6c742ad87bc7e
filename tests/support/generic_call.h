// Any orderwatch RPC called by name, with its request written in protobuf text format, through
// gRPC's generic stub: for tables of requests over the whole API (the security matrix, the
// bad-input table).
#pragma once

#include <google/protobuf/descriptor.h>
#include <grpcpp/generic/generic_stub.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace orderwatch::testing {

// Every RPC of every file in `proto_dir` (proto/orderwatch/v1), by "/package.Service/Method".
// A file not linked into the test fails it.
std::map<std::string, const google::protobuf::MethodDescriptor*> AllRpcs(
    const std::string& proto_dir);

// The wire bytes of `rpc`'s request written as `text` (text that does not parse fails the test).
std::string RequestBytes(const google::protobuf::MethodDescriptor& rpc, const std::string& text);

struct Answer {
  grpc::Status status;
  std::string response;  // text format, for reading and searching
};

// Calls `rpc` with the request's wire bytes, the metadata added, and a 5 s deadline.
Answer CallRpc(grpc::GenericStub& stub, const google::protobuf::MethodDescriptor& rpc,
               const std::string& request_bytes,
               const std::vector<std::pair<std::string, std::string>>& metadata);

}  // namespace orderwatch::testing
