// The gRPC edge of a unary call: authenticate, bound the deadline, run the work, map the status.
#pragma once

#include <grpcpp/server_context.h>
#include <grpcpp/support/server_callback.h>

#include <utility>

#include "absl/time/time.h"
#include "services/common/auth.h"
#include "services/common/status.h"

namespace orderwatch {

// The call's deadline, or now + fallback when the client set none (or one further than that).
absl::Time CallDeadline(const grpc::CallbackServerContext& context,
                        absl::Duration fallback = absl::Seconds(5));

// For a unary handler: `work(principal, deadline, done)` runs the call; `done(StatusOr<Response>)`
// fills the response and finishes the call, from whichever thread completes it.
template <typename Response, typename Work>
grpc::ServerUnaryReactor* ServeUnary(grpc::CallbackServerContext* context,
                                     const Authenticator& auth, Response* response, Work&& work) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::StatusOr<Principal> principal = auth.Authenticate(*context);
  if (!principal.ok()) {
    reactor->Finish(ToGrpcStatus(principal.status()));
    return reactor;
  }
  std::forward<Work>(work)(*principal, CallDeadline(*context),
                           [reactor, response](absl::StatusOr<Response> result) {
                             if (result.ok()) *response = *std::move(result);
                             reactor->Finish(ToGrpcStatus(result.status()));
                           });
  return reactor;
}

}  // namespace orderwatch
