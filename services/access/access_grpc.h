// gRPC edge of AccessService: each handler authenticates, admits and hands the call over.
#pragma once

#include "orderwatch/v1/access.grpc.pb.h"
#include "services/access/access_service.h"
#include "services/common/edge.h"

namespace orderwatch::access {

class AccessGrpc final : public v1::Access::CallbackService {
 public:
  AccessGrpc(AccessService& service, Edge edge) : service_(service), edge_(edge) {}

  grpc::ServerUnaryReactor* IssueToken(grpc::CallbackServerContext* ctx,
                                       const v1::IssueTokenRequest* request,
                                       v1::IssuedToken* response) override;
  grpc::ServerUnaryReactor* ListTokens(grpc::CallbackServerContext* ctx,
                                       const v1::ListTokensRequest* request,
                                       v1::ListTokensResponse* response) override;
  grpc::ServerUnaryReactor* RevokeToken(grpc::CallbackServerContext* ctx,
                                        const v1::RevokeTokenRequest* request,
                                        v1::TokenInfo* response) override;

 private:
  AccessService& service_;
  const Edge edge_;
};

}  // namespace orderwatch::access
