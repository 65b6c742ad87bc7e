// gRPC edge of RemarksService: each handler authenticates, admits and hands the call over.
#pragma once

#include "orderwatch/v1/remarks.grpc.pb.h"
#include "services/common/edge.h"
#include "services/remarks/remarks_service.h"

namespace orderwatch::remarks {

class RemarksGrpc final : public v1::Remarks::CallbackService {
 public:
  RemarksGrpc(RemarksService& service, Edge edge) : service_(service), edge_(edge) {}

  grpc::ServerUnaryReactor* Get(grpc::CallbackServerContext* ctx,
                                const v1::GetRemarkRequest* request, v1::Remark* response) override;
  grpc::ServerUnaryReactor* BatchGet(grpc::CallbackServerContext* ctx,
                                     const v1::BatchGetRemarksRequest* request,
                                     v1::BatchGetRemarksResponse* response) override;
  grpc::ServerUnaryReactor* Set(grpc::CallbackServerContext* ctx,
                                const v1::SetRemarkRequest* request, v1::Remark* response) override;
  grpc::ServerUnaryReactor* Append(grpc::CallbackServerContext* ctx,
                                   const v1::AppendRemarkRequest* request,
                                   v1::Remark* response) override;
  grpc::ServerUnaryReactor* Clear(grpc::CallbackServerContext* ctx,
                                  const v1::ClearRemarkRequest* request,
                                  v1::Remark* response) override;
  grpc::ServerUnaryReactor* History(grpc::CallbackServerContext* ctx,
                                    const v1::RemarkHistoryRequest* request,
                                    v1::RemarkHistoryResponse* response) override;
  grpc::ServerUnaryReactor* ListByFlag(grpc::CallbackServerContext* ctx,
                                       const v1::ListByFlagRequest* request,
                                       v1::ListByFlagResponse* response) override;
  grpc::ServerUnaryReactor* CountByFlag(grpc::CallbackServerContext* ctx,
                                        const v1::CountByFlagRequest* request,
                                        v1::CountByFlagResponse* response) override;
  grpc::ServerUnaryReactor* GetLegend(grpc::CallbackServerContext* ctx,
                                      const v1::GetLegendRequest* request,
                                      v1::Legend* response) override;
  grpc::ServerUnaryReactor* SetLegend(grpc::CallbackServerContext* ctx,
                                      const v1::SetLegendRequest* request,
                                      v1::Legend* response) override;

 private:
  RemarksService& service_;
  const Edge edge_;
};

}  // namespace orderwatch::remarks
