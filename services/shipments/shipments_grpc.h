// gRPC edge of ShipmentsService: each handler authenticates, admits and hands the call over.
#pragma once

#include "orderwatch/v1/shipments.grpc.pb.h"
#include "services/common/edge.h"
#include "services/shipments/shipments_service.h"

namespace orderwatch::shipments {

class ShipmentsGrpc final : public v1::Shipments::CallbackService {
 public:
  ShipmentsGrpc(ShipmentsService& service, Edge edge) : service_(service), edge_(edge) {}

  grpc::ServerUnaryReactor* GetPolicy(grpc::CallbackServerContext* ctx,
                                      const v1::GetShipmentPolicyRequest* request,
                                      v1::ShipmentPolicy* response) override;
  grpc::ServerUnaryReactor* SetPolicy(grpc::CallbackServerContext* ctx,
                                      const v1::SetShipmentPolicyRequest* request,
                                      v1::ShipmentPolicy* response) override;
  grpc::ServerUnaryReactor* ListDelayed(grpc::CallbackServerContext* ctx,
                                        const v1::ListDelayedRequest* request,
                                        v1::ListDelayedResponse* response) override;
  grpc::ServerUnaryReactor* Summary(grpc::CallbackServerContext* ctx,
                                    const v1::ShipmentSummaryRequest* request,
                                    v1::ShipmentSummary* response) override;

 private:
  ShipmentsService& service_;
  const Edge edge_;
};

}  // namespace orderwatch::shipments
