// absl::Status inside, grpc::Status at the edge. The codes are the same numbers.
#pragma once

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace orderwatch {

grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace orderwatch
