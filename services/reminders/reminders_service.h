// The Reminders API: a shop's policy, an agent's Trigger, and an order's reminders. Plain logic
// over the Redis client, used by the gRPC handler and the tests alike.
#pragma once

#include "absl/time/time.h"
#include "orderwatch/v1/reminders.pb.h"
#include "services/common/async.h"
#include "services/common/auth.h"
#include "services/common/clock.h"
#include "services/redis/client.h"
#include "services/redis/keys.h"
#include "services/reminders/buyer_book.h"
#include "services/reminders/reminder_commit.h"
#include "services/reminders/reminder_metrics.h"
#include "services/reminders/reminder_settings.h"
#include "services/reminders/reminder_worker.h"

namespace orderwatch::reminders {

class RemindersService {
 public:
  RemindersService(redis::Client& redis, const redis::KeyScheme& keys, const Clock& clock,
                   ReminderSettingsStore& settings, ReminderCommitter& committer, BuyerBook& book,
                   ReminderWorker& worker, ReminderMetrics& metrics);

  void GetPolicy(const Principal& who, const v1::GetReminderPolicyRequest& request,
                 absl::Time deadline, Done<v1::ReminderPolicy> done);
  void GetAllShopsPeak(const Principal& who, const v1::GetAllShopsPeakRequest& request,
                       absl::Time deadline, Done<v1::PeakMode> done);
  void SetAllShopsPeak(const Principal& who, const v1::SetAllShopsPeakRequest& request,
                       absl::Time deadline, Done<v1::PeakMode> done);
  void SetPolicy(const Principal& who, const v1::SetReminderPolicyRequest& request,
                 absl::Time deadline, Done<v1::ReminderPolicy> done);
  void Trigger(const Principal& who, const v1::TriggerReminderRequest& request, absl::Time deadline,
               Done<v1::Reminder> done);
  void ListForOrder(const Principal& who, const v1::ListRemindersRequest& request,
                    absl::Time deadline, Done<v1::ListRemindersResponse> done);
  void ListTemplates(const Principal& who, const v1::ListTemplatesRequest& request,
                     absl::Time deadline, Done<v1::ListTemplatesResponse> done);
  void SetTemplate(const Principal& who, const v1::SetTemplateRequest& request, absl::Time deadline,
                   Done<v1::Template> done);
  void PreviewTemplate(const Principal& who, const v1::PreviewTemplateRequest& request,
                       absl::Time deadline, Done<v1::PreviewTemplateResponse> done);

 private:
  void CommitTriggered(Commit c, absl::Time deadline, Done<v1::Reminder> done);
  void TriggerWith(const Principal& who, const v1::TriggerReminderRequest& request,
                   const ReminderSettings& settings, const redis::Reply& order, absl::Time deadline,
                   Done<v1::Reminder> done);

  redis::Client& redis_;
  const redis::KeyScheme& keys_;
  const Clock& clock_;
  ReminderSettingsStore& settings_;
  ReminderCommitter& committer_;
  BuyerBook& book_;
  ReminderWorker& worker_;
  ReminderMetrics& metrics_;
};

}  // namespace orderwatch::reminders
