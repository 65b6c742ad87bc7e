#include "services/followups/followups_grpc.h"

#include "services/common/edge.h"

namespace orderwatch::followups {

grpc::ServerUnaryReactor* FollowUpsGrpc::Create(grpc::CallbackServerContext* ctx,
                                                const v1::CreateFollowUpRequest* request,
                                                v1::FollowUp* response) {
  return ServeUnary(ctx, edge_, Priority::kLow, response,
                    [&](const Principal& who, absl::Time d, auto done) {
                      service_.Create(who, *request, d, std::move(done));
                    });
}

grpc::ServerUnaryReactor* FollowUpsGrpc::Get(grpc::CallbackServerContext* ctx,
                                             const v1::GetFollowUpRequest* request,
                                             v1::FollowUp* response) {
  return ServeUnary(ctx, edge_, Priority::kLow, response,
                    [&](const Principal& who, absl::Time d, auto done) {
                      service_.Get(who, *request, d, std::move(done));
                    });
}

grpc::ServerUnaryReactor* FollowUpsGrpc::List(grpc::CallbackServerContext* ctx,
                                              const v1::ListFollowUpsRequest* request,
                                              v1::ListFollowUpsResponse* response) {
  return ServeUnary(ctx, edge_, Priority::kLow, response,
                    [&](const Principal& who, absl::Time d, auto done) {
                      service_.List(who, *request, d, std::move(done));
                    });
}

grpc::ServerUnaryReactor* FollowUpsGrpc::ClaimNext(grpc::CallbackServerContext* ctx,
                                                   const v1::ClaimNextRequest* request,
                                                   v1::ClaimNextResponse* response) {
  return ServeUnary(ctx, edge_, Priority::kLow, response,
                    [&](const Principal& who, absl::Time d, auto done) {
                      service_.ClaimNext(who, *request, d, std::move(done));
                    });
}

grpc::ServerUnaryReactor* FollowUpsGrpc::Note(grpc::CallbackServerContext* ctx,
                                              const v1::NoteFollowUpRequest* request,
                                              v1::FollowUp* response) {
  return ServeUnary(ctx, edge_, Priority::kLow, response,
                    [&](const Principal& who, absl::Time d, auto done) {
                      service_.Note(who, *request, d, std::move(done));
                    });
}

grpc::ServerUnaryReactor* FollowUpsGrpc::Complete(grpc::CallbackServerContext* ctx,
                                                  const v1::CompleteFollowUpRequest* request,
                                                  v1::FollowUp* response) {
  return ServeUnary(ctx, edge_, Priority::kLow, response,
                    [&](const Principal& who, absl::Time d, auto done) {
                      service_.Complete(who, *request, d, std::move(done));
                    });
}

grpc::ServerUnaryReactor* FollowUpsGrpc::Reassign(grpc::CallbackServerContext* ctx,
                                                  const v1::ReassignFollowUpRequest* request,
                                                  v1::FollowUp* response) {
  return ServeUnary(ctx, edge_, Priority::kLow, response,
                    [&](const Principal& who, absl::Time d, auto done) {
                      service_.Reassign(who, *request, d, std::move(done));
                    });
}

grpc::ServerUnaryReactor* FollowUpsGrpc::RegisterCashback(
    grpc::CallbackServerContext* ctx, const v1::RegisterCashbackRequest* request,
    v1::FollowUp* response) {
  return ServeUnary(ctx, edge_, Priority::kLow, response,
                    [&](const Principal& who, absl::Time d, auto done) {
                      service_.RegisterCashback(who, *request, d, std::move(done));
                    });
}

grpc::ServerUnaryReactor* FollowUpsGrpc::Summary(grpc::CallbackServerContext* ctx,
                                                 const v1::FollowUpSummaryRequest* request,
                                                 v1::FollowUpSummary* response) {
  return ServeUnary(ctx, edge_, Priority::kLow, response,
                    [&](const Principal& who, absl::Time d, auto done) {
                      service_.Summary(who, *request, d, std::move(done));
                    });
}

}  // namespace orderwatch::followups
