#include "services/reminders/reminders_grpc.h"

#include "services/common/edge.h"

namespace orderwatch::reminders {

grpc::ServerUnaryReactor* RemindersGrpc::GetPolicy(grpc::CallbackServerContext* ctx,
                                                   const v1::GetReminderPolicyRequest* request,
                                                   v1::ReminderPolicy* response) {
  return ServeUnary(ctx, edge_, Priority::kNormal, response,
                    [&](const Principal& who, absl::Time d, auto done) {
                      service_.GetPolicy(who, *request, d, std::move(done));
                    });
}

grpc::ServerUnaryReactor* RemindersGrpc::SetPolicy(grpc::CallbackServerContext* ctx,
                                                   const v1::SetReminderPolicyRequest* request,
                                                   v1::ReminderPolicy* response) {
  return ServeUnary(ctx, edge_, Priority::kNormal, response,
                    [&](const Principal& who, absl::Time d, auto done) {
                      service_.SetPolicy(who, *request, d, std::move(done));
                    });
}

grpc::ServerUnaryReactor* RemindersGrpc::Trigger(grpc::CallbackServerContext* ctx,
                                                 const v1::TriggerReminderRequest* request,
                                                 v1::Reminder* response) {
  return ServeUnary(ctx, edge_, Priority::kHigh, response,
                    [&](const Principal& who, absl::Time d, auto done) {
                      service_.Trigger(who, *request, d, std::move(done));
                    });
}

grpc::ServerUnaryReactor* RemindersGrpc::RecordAnswer(grpc::CallbackServerContext* ctx,
                                                      const v1::RecordAnswerRequest* request,
                                                      v1::Reminder* response) {
  return ServeUnary(ctx, edge_, Priority::kHigh, response,
                    [&](const Principal& who, absl::Time d, auto done) {
                      answers_.Record(who, *request, d, std::move(done));
                    });
}

grpc::ServerUnaryReactor* RemindersGrpc::GetAllShopsPeak(grpc::CallbackServerContext* ctx,
                                                         const v1::GetAllShopsPeakRequest* request,
                                                         v1::PeakMode* response) {
  return ServeUnary(ctx, edge_, Priority::kNormal, response,
                    [&](const Principal& who, absl::Time d, auto done) {
                      service_.GetAllShopsPeak(who, *request, d, std::move(done));
                    });
}

grpc::ServerUnaryReactor* RemindersGrpc::SetAllShopsPeak(grpc::CallbackServerContext* ctx,
                                                         const v1::SetAllShopsPeakRequest* request,
                                                         v1::PeakMode* response) {
  return ServeUnary(ctx, edge_, Priority::kNormal, response,
                    [&](const Principal& who, absl::Time d, auto done) {
                      service_.SetAllShopsPeak(who, *request, d, std::move(done));
                    });
}

grpc::ServerUnaryReactor* RemindersGrpc::Stats(grpc::CallbackServerContext* ctx,
                                               const v1::ReminderStatsRequest* request,
                                               v1::ReminderStats* response) {
  return ServeUnary(ctx, edge_, Priority::kLow, response,
                    [&](const Principal& who, absl::Time d, auto done) {
                      stats_.Read(who, *request, d, std::move(done));
                    });
}

grpc::ServerUnaryReactor* RemindersGrpc::ListForOrder(grpc::CallbackServerContext* ctx,
                                                      const v1::ListRemindersRequest* request,
                                                      v1::ListRemindersResponse* response) {
  return ServeUnary(ctx, edge_, Priority::kNormal, response,
                    [&](const Principal& who, absl::Time d, auto done) {
                      service_.ListForOrder(who, *request, d, std::move(done));
                    });
}

grpc::ServerUnaryReactor* RemindersGrpc::ListTemplates(grpc::CallbackServerContext* ctx,
                                                       const v1::ListTemplatesRequest* request,
                                                       v1::ListTemplatesResponse* response) {
  return ServeUnary(ctx, edge_, Priority::kNormal, response,
                    [&](const Principal& who, absl::Time d, auto done) {
                      service_.ListTemplates(who, *request, d, std::move(done));
                    });
}

grpc::ServerUnaryReactor* RemindersGrpc::SetTemplate(grpc::CallbackServerContext* ctx,
                                                     const v1::SetTemplateRequest* request,
                                                     v1::Template* response) {
  return ServeUnary(ctx, edge_, Priority::kNormal, response,
                    [&](const Principal& who, absl::Time d, auto done) {
                      service_.SetTemplate(who, *request, d, std::move(done));
                    });
}

grpc::ServerUnaryReactor* RemindersGrpc::PreviewTemplate(grpc::CallbackServerContext* ctx,
                                                         const v1::PreviewTemplateRequest* request,
                                                         v1::PreviewTemplateResponse* response) {
  return ServeUnary(ctx, edge_, Priority::kNormal, response,
                    [&](const Principal& who, absl::Time d, auto done) {
                      service_.PreviewTemplate(who, *request, d, std::move(done));
                    });
}

}  // namespace orderwatch::reminders
