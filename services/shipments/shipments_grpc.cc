#include "services/shipments/shipments_grpc.h"

#include "services/common/edge.h"

namespace orderwatch::shipments {

grpc::ServerUnaryReactor* ShipmentsGrpc::GetPolicy(grpc::CallbackServerContext* ctx,
    const v1::GetShipmentPolicyRequest* request, v1::ShipmentPolicy* response) {
  return ServeUnary(ctx, edge_, Priority::kNormal, response,
                    [&](const Principal& who, absl::Time d, auto done) {
                      service_.GetPolicy(who, *request, d, std::move(done));
                    });
}

grpc::ServerUnaryReactor* ShipmentsGrpc::SetPolicy(grpc::CallbackServerContext* ctx,
    const v1::SetShipmentPolicyRequest* request, v1::ShipmentPolicy* response) {
  return ServeUnary(ctx, edge_, Priority::kNormal, response,
                    [&](const Principal& who, absl::Time d, auto done) {
                      service_.SetPolicy(who, *request, d, std::move(done));
                    });
}

grpc::ServerUnaryReactor* ShipmentsGrpc::ListDelayed(grpc::CallbackServerContext* ctx,
    const v1::ListDelayedRequest* request, v1::ListDelayedResponse* response) {
  return ServeUnary(ctx, edge_, Priority::kLow, response,
                    [&](const Principal& who, absl::Time d, auto done) {
                      service_.ListDelayed(who, *request, d, std::move(done));
                    });
}

grpc::ServerUnaryReactor* ShipmentsGrpc::Summary(grpc::CallbackServerContext* ctx,
    const v1::ShipmentSummaryRequest* request, v1::ShipmentSummary* response) {
  return ServeUnary(ctx, edge_, Priority::kLow, response,
                    [&](const Principal& who, absl::Time d, auto done) {
                      service_.Summary(who, *request, d, std::move(done));
                    });
}

}  // namespace orderwatch::shipments
