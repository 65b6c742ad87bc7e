#include "services/common/edge.h"

#include "absl/strings/str_cat.h"

namespace orderwatch {

absl::Time CallDeadline(const grpc::CallbackServerContext& context, absl::Duration fallback) {
  const absl::Time now = absl::Now();
  const absl::Time limit = now + fallback;
  const auto deadline = context.deadline();
  if (deadline == std::chrono::system_clock::time_point::max()) return limit;
  const absl::Time d = absl::FromChrono(deadline);
  return d < limit ? d : limit;
}

void FinishBusy(grpc::CallbackServerContext& context, grpc::ServerUnaryReactor& reactor,
                const Admission::Rejection& rejection) {
  context.AddTrailingMetadata("grpc-retry-pushback-ms", absl::StrCat(rejection.retry_after_ms));
  reactor.Finish(ToGrpcStatus(rejection.ToStatus()));
}

}  // namespace orderwatch
