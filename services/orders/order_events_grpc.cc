#include "services/orders/order_events_grpc.h"

#include "services/common/edge.h"

namespace orderwatch::orders {

grpc::ServerUnaryReactor* OrderEventsGrpc::Record(grpc::CallbackServerContext* ctx,
                                                  const v1::RecordEventRequest* request,
                                                  v1::RecordEventResponse* response) {
  return ServeUnary(ctx, edge_, Priority::kHigh, response,
                    [&](const Principal& who, absl::Time d, auto done) {
                      service_.Record(who, *request, d, std::move(done));
                    });
}

grpc::ServerUnaryReactor* OrderEventsGrpc::RecordBatch(grpc::CallbackServerContext* ctx,
                                                       const v1::RecordEventBatchRequest* request,
                                                       v1::RecordEventBatchResponse* response) {
  return ServeUnary(ctx, edge_, Priority::kHigh, response,
                    [&](const Principal& who, absl::Time d, auto done) {
                      service_.RecordBatch(who, *request, d, std::move(done));
                    });
}

grpc::ServerUnaryReactor* OrderEventsGrpc::GetOrder(grpc::CallbackServerContext* ctx,
                                                    const v1::GetOrderRequest* request,
                                                    v1::Order* response) {
  return ServeUnary(ctx, edge_, Priority::kNormal, response,
                    [&](const Principal& who, absl::Time d, auto done) {
                      service_.GetOrder(who, *request, d, std::move(done));
                    });
}

}  // namespace orderwatch::orders
