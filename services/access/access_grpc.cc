#include "services/access/access_grpc.h"

namespace orderwatch::access {

grpc::ServerUnaryReactor* AccessGrpc::IssueToken(grpc::CallbackServerContext* ctx,
                                                 const v1::IssueTokenRequest* request,
                                                 v1::IssuedToken* response) {
  return ServeUnary(ctx, edge_, Priority::kNormal, response,
                    [&](const Principal& who, absl::Time d, auto done) {
                      service_.IssueToken(who, *request, d, std::move(done));
                    });
}

grpc::ServerUnaryReactor* AccessGrpc::ListTokens(grpc::CallbackServerContext* ctx,
                                                 const v1::ListTokensRequest* request,
                                                 v1::ListTokensResponse* response) {
  return ServeUnary(ctx, edge_, Priority::kNormal, response,
                    [&](const Principal& who, absl::Time d, auto done) {
                      service_.ListTokens(who, *request, d, std::move(done));
                    });
}

grpc::ServerUnaryReactor* AccessGrpc::RevokeToken(grpc::CallbackServerContext* ctx,
                                                  const v1::RevokeTokenRequest* request,
                                                  v1::TokenInfo* response) {
  return ServeUnary(ctx, edge_, Priority::kNormal, response,
                    [&](const Principal& who, absl::Time d, auto done) {
                      service_.RevokeToken(who, *request, d, std::move(done));
                    });
}

}  // namespace orderwatch::access
