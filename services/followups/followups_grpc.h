// gRPC edge of FollowUpsService: each handler authenticates, admits and hands the call over.
#pragma once

#include "orderwatch/v1/followups.grpc.pb.h"
#include "services/common/edge.h"
#include "services/followups/followups_service.h"

namespace orderwatch::followups {

class FollowUpsGrpc final : public v1::FollowUps::CallbackService {
 public:
  FollowUpsGrpc(FollowUpsService& service, Edge edge) : service_(service), edge_(edge) {}

  grpc::ServerUnaryReactor* Create(grpc::CallbackServerContext* ctx,
                                   const v1::CreateFollowUpRequest* request,
                                   v1::FollowUp* response) override;
  grpc::ServerUnaryReactor* Get(grpc::CallbackServerContext* ctx,
                                const v1::GetFollowUpRequest* request,
                                v1::FollowUp* response) override;
  grpc::ServerUnaryReactor* List(grpc::CallbackServerContext* ctx,
                                 const v1::ListFollowUpsRequest* request,
                                 v1::ListFollowUpsResponse* response) override;
  grpc::ServerUnaryReactor* ClaimNext(grpc::CallbackServerContext* ctx,
                                      const v1::ClaimNextRequest* request,
                                      v1::ClaimNextResponse* response) override;
  grpc::ServerUnaryReactor* Note(grpc::CallbackServerContext* ctx,
                                 const v1::NoteFollowUpRequest* request,
                                 v1::FollowUp* response) override;
  grpc::ServerUnaryReactor* Complete(grpc::CallbackServerContext* ctx,
                                     const v1::CompleteFollowUpRequest* request,
                                     v1::FollowUp* response) override;
  grpc::ServerUnaryReactor* Reassign(grpc::CallbackServerContext* ctx,
                                     const v1::ReassignFollowUpRequest* request,
                                     v1::FollowUp* response) override;
  grpc::ServerUnaryReactor* RegisterCashback(grpc::CallbackServerContext* ctx,
                                             const v1::RegisterCashbackRequest* request,
                                             v1::FollowUp* response) override;
  grpc::ServerUnaryReactor* Summary(grpc::CallbackServerContext* ctx,
                                    const v1::FollowUpSummaryRequest* request,
                                    v1::FollowUpSummary* response) override;

 private:
  FollowUpsService& service_;
  const Edge edge_;
};

}  // namespace orderwatch::followups
