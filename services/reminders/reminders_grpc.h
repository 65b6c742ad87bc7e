// gRPC edge of RemindersService (and ReminderAnswers, ReminderStatsReader): each handler
// authenticates, admits and hands the call over.
#pragma once

#include "orderwatch/v1/reminders.grpc.pb.h"
#include "services/common/edge.h"
#include "services/reminders/reminder_answers.h"
#include "services/reminders/reminder_stats.h"
#include "services/reminders/reminders_service.h"

namespace orderwatch::reminders {

class RemindersGrpc final : public v1::Reminders::CallbackService {
 public:
  RemindersGrpc(RemindersService& service, ReminderAnswers& answers, ReminderStatsReader& stats,
                Edge edge)
      : service_(service), answers_(answers), stats_(stats), edge_(edge) {}

  grpc::ServerUnaryReactor* GetPolicy(grpc::CallbackServerContext* ctx,
                                      const v1::GetReminderPolicyRequest* request,
                                      v1::ReminderPolicy* response) override;
  grpc::ServerUnaryReactor* SetPolicy(grpc::CallbackServerContext* ctx,
                                      const v1::SetReminderPolicyRequest* request,
                                      v1::ReminderPolicy* response) override;
  grpc::ServerUnaryReactor* Trigger(grpc::CallbackServerContext* ctx,
                                    const v1::TriggerReminderRequest* request,
                                    v1::Reminder* response) override;
  grpc::ServerUnaryReactor* ListForOrder(grpc::CallbackServerContext* ctx,
                                         const v1::ListRemindersRequest* request,
                                         v1::ListRemindersResponse* response) override;
  grpc::ServerUnaryReactor* RecordAnswer(grpc::CallbackServerContext* ctx,
                                         const v1::RecordAnswerRequest* request,
                                         v1::Reminder* response) override;
  grpc::ServerUnaryReactor* GetAllShopsPeak(grpc::CallbackServerContext* ctx,
                                            const v1::GetAllShopsPeakRequest* request,
                                            v1::PeakMode* response) override;
  grpc::ServerUnaryReactor* SetAllShopsPeak(grpc::CallbackServerContext* ctx,
                                            const v1::SetAllShopsPeakRequest* request,
                                            v1::PeakMode* response) override;
  grpc::ServerUnaryReactor* Stats(grpc::CallbackServerContext* ctx,
                                  const v1::ReminderStatsRequest* request,
                                  v1::ReminderStats* response) override;
  grpc::ServerUnaryReactor* ListTemplates(grpc::CallbackServerContext* ctx,
                                          const v1::ListTemplatesRequest* request,
                                          v1::ListTemplatesResponse* response) override;
  grpc::ServerUnaryReactor* SetTemplate(grpc::CallbackServerContext* ctx,
                                        const v1::SetTemplateRequest* request,
                                        v1::Template* response) override;
  grpc::ServerUnaryReactor* PreviewTemplate(grpc::CallbackServerContext* ctx,
                                            const v1::PreviewTemplateRequest* request,
                                            v1::PreviewTemplateResponse* response) override;

 private:
  RemindersService& service_;
  ReminderAnswers& answers_;
  ReminderStatsReader& stats_;
  const Edge edge_;
};

}  // namespace orderwatch::reminders
