// The gRPC edge of a unary call: authenticate, admit (or refuse when busy), bound the deadline,
// run the work, map the status.
#pragma once

#include <grpcpp/server_context.h>
#include <grpcpp/support/server_callback.h>

#include <utility>
#include <variant>

#include "absl/time/time.h"
#include "services/common/admission.h"
#include "services/common/auth.h"
#include "services/common/status.h"

namespace orderwatch {

// What every handler needs before it runs: who is calling, and whether there is room.
struct Edge {
  const Authenticator& auth;
  Admission& admission;
};

// The call's deadline, or now + fallback when the client set none (or one further than that).
absl::Time CallDeadline(const grpc::CallbackServerContext& context,
                        absl::Duration fallback = absl::Seconds(5));

// Finishes a call refused by admission control: RESOURCE_EXHAUSTED, with the retry hint in the
// trailer gRPC's own retry policy reads, grpc-retry-pushback-ms.
void FinishBusy(grpc::CallbackServerContext& context, grpc::ServerUnaryReactor& reactor,
                const Admission::Rejection& rejection);

// For a unary handler: `work(principal, deadline, done)` runs the call; `done(StatusOr<Response>)`
// fills the response and finishes the call, from whichever thread completes it. The call holds
// its admission ticket until `done` runs; a refused call does no work at all.
template <typename Response, typename Work>
grpc::ServerUnaryReactor* ServeUnary(grpc::CallbackServerContext* context, const Edge& edge,
                                     Priority priority, Response* response, Work&& work) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::StatusOr<Principal> principal = edge.auth.Authenticate(*context);
  if (!principal.ok()) {
    reactor->Finish(ToGrpcStatus(principal.status()));
    return reactor;
  }
  auto admitted = edge.admission.Admit(priority);
  if (const auto* busy = std::get_if<Admission::Rejection>(&admitted)) {
    FinishBusy(*context, *reactor, *busy);
    return reactor;
  }
  std::forward<Work>(work)(
      *principal, CallDeadline(*context),
      [reactor, response, ticket = std::get<Admission::Ticket>(std::move(admitted))](
          absl::StatusOr<Response> result) mutable {
        if (result.ok()) *response = *std::move(result);
        // Before Finish: a caller that sends its next call on the answer finds the place free.
        ticket.Release();
        reactor->Finish(ToGrpcStatus(result.status()));
      });
  return reactor;
}

}  // namespace orderwatch
