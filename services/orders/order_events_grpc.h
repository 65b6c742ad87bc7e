// gRPC edge of OrderEventsService.
#pragma once

#include "orderwatch/v1/order_events.grpc.pb.h"
#include "services/common/edge.h"
#include "services/orders/order_events_service.h"

namespace orderwatch::orders {

class OrderEventsGrpc final : public v1::OrderEvents::CallbackService {
 public:
  OrderEventsGrpc(OrderEventsService& service, Edge edge) : service_(service), edge_(edge) {}

  grpc::ServerUnaryReactor* Record(grpc::CallbackServerContext* ctx,
                                   const v1::RecordEventRequest* request,
                                   v1::RecordEventResponse* response) override;
  grpc::ServerUnaryReactor* RecordBatch(grpc::CallbackServerContext* ctx,
                                        const v1::RecordEventBatchRequest* request,
                                        v1::RecordEventBatchResponse* response) override;
  grpc::ServerUnaryReactor* GetOrder(grpc::CallbackServerContext* ctx,
                                     const v1::GetOrderRequest* request,
                                     v1::Order* response) override;

 private:
  OrderEventsService& service_;
  const Edge edge_;
};

}  // namespace orderwatch::orders
