#include "services/remarks/remarks_grpc.h"

#include "services/common/edge.h"

namespace orderwatch::remarks {

grpc::ServerUnaryReactor* RemarksGrpc::Get(grpc::CallbackServerContext* ctx,
                                           const v1::GetRemarkRequest* request,
                                           v1::Remark* response) {
  return ServeUnary(ctx, edge_, Priority::kNormal, response,
                    [&](const Principal& who, absl::Time d, auto done) {
                      service_.Get(who, *request, d, std::move(done));
                    });
}

grpc::ServerUnaryReactor* RemarksGrpc::BatchGet(grpc::CallbackServerContext* ctx,
                                                const v1::BatchGetRemarksRequest* request,
                                                v1::BatchGetRemarksResponse* response) {
  return ServeUnary(ctx, edge_, Priority::kLow, response,
                    [&](const Principal& who, absl::Time d, auto done) {
                      service_.BatchGet(who, *request, d, std::move(done));
                    });
}

grpc::ServerUnaryReactor* RemarksGrpc::Set(grpc::CallbackServerContext* ctx,
                                           const v1::SetRemarkRequest* request,
                                           v1::Remark* response) {
  return ServeUnary(ctx, edge_, Priority::kHigh, response,
                    [&](const Principal& who, absl::Time d, auto done) {
                      service_.Set(who, *request, d, std::move(done));
                    });
}

grpc::ServerUnaryReactor* RemarksGrpc::Append(grpc::CallbackServerContext* ctx,
                                              const v1::AppendRemarkRequest* request,
                                              v1::Remark* response) {
  return ServeUnary(ctx, edge_, Priority::kHigh, response,
                    [&](const Principal& who, absl::Time d, auto done) {
                      service_.Append(who, *request, d, std::move(done));
                    });
}

grpc::ServerUnaryReactor* RemarksGrpc::Clear(grpc::CallbackServerContext* ctx,
                                             const v1::ClearRemarkRequest* request,
                                             v1::Remark* response) {
  return ServeUnary(ctx, edge_, Priority::kHigh, response,
                    [&](const Principal& who, absl::Time d, auto done) {
                      service_.Clear(who, *request, d, std::move(done));
                    });
}

grpc::ServerUnaryReactor* RemarksGrpc::History(grpc::CallbackServerContext* ctx,
                                               const v1::RemarkHistoryRequest* request,
                                               v1::RemarkHistoryResponse* response) {
  return ServeUnary(ctx, edge_, Priority::kLow, response,
                    [&](const Principal& who, absl::Time d, auto done) {
                      service_.History(who, *request, d, std::move(done));
                    });
}

grpc::ServerUnaryReactor* RemarksGrpc::ListByFlag(grpc::CallbackServerContext* ctx,
                                                  const v1::ListByFlagRequest* request,
                                                  v1::ListByFlagResponse* response) {
  return ServeUnary(ctx, edge_, Priority::kLow, response,
                    [&](const Principal& who, absl::Time d, auto done) {
                      service_.ListByFlag(who, *request, d, std::move(done));
                    });
}

grpc::ServerUnaryReactor* RemarksGrpc::CountByFlag(grpc::CallbackServerContext* ctx,
                                                   const v1::CountByFlagRequest* request,
                                                   v1::CountByFlagResponse* response) {
  return ServeUnary(ctx, edge_, Priority::kLow, response,
                    [&](const Principal& who, absl::Time d, auto done) {
                      service_.CountByFlag(who, *request, d, std::move(done));
                    });
}

grpc::ServerUnaryReactor* RemarksGrpc::GetLegend(grpc::CallbackServerContext* ctx,
                                                 const v1::GetLegendRequest* request,
                                                 v1::Legend* response) {
  return ServeUnary(ctx, edge_, Priority::kNormal, response,
                    [&](const Principal& who, absl::Time d, auto done) {
                      service_.GetLegend(who, *request, d, std::move(done));
                    });
}

grpc::ServerUnaryReactor* RemarksGrpc::SetLegend(grpc::CallbackServerContext* ctx,
                                                 const v1::SetLegendRequest* request,
                                                 v1::Legend* response) {
  return ServeUnary(ctx, edge_, Priority::kNormal, response,
                    [&](const Principal& who, absl::Time d, auto done) {
                      service_.SetLegend(who, *request, d, std::move(done));
                    });
}

}  // namespace orderwatch::remarks
