// The FollowUps API without gRPC: agents create, list, claim, work, complete and reassign their
// shop's follow-ups, register cashbacks, and read the shop's SLA summary.
#pragma once

#include "orderwatch/v1/followups.pb.h"
#include "services/common/async.h"
#include "services/common/auth.h"
#include "services/common/retention.h"
#include "services/followups/followup_book.h"
#include "services/followups/followup_metrics.h"
#include "services/followups/followup_worker.h"
#include "services/redis/client.h"
#include "services/redis/keys.h"
#include "services/redis/script.h"

namespace orderwatch::followups {

inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 500;
inline constexpr int64_t kMostCashbackFen = 100'000'000;  // ¥1 000 000

class FollowUpsService {
 public:
  FollowUpsService(redis::Client& redis, const redis::KeyScheme& keys, Retention retention,
                   FollowUpBook& book, FollowUpWorker& worker, FollowUpMetrics& metrics);

  void Create(const Principal& who, const v1::CreateFollowUpRequest& request, absl::Time deadline,
              Done<v1::FollowUp> done);
  void Get(const Principal& who, const v1::GetFollowUpRequest& request, absl::Time deadline,
           Done<v1::FollowUp> done);
  void List(const Principal& who, const v1::ListFollowUpsRequest& request, absl::Time deadline,
            Done<v1::ListFollowUpsResponse> done);
  void ClaimNext(const Principal& who, const v1::ClaimNextRequest& request, absl::Time deadline,
                 Done<v1::ClaimNextResponse> done);
  void Note(const Principal& who, const v1::NoteFollowUpRequest& request, absl::Time deadline,
            Done<v1::FollowUp> done);
  void Complete(const Principal& who, const v1::CompleteFollowUpRequest& request,
                absl::Time deadline, Done<v1::FollowUp> done);
  void Reassign(const Principal& who, const v1::ReassignFollowUpRequest& request,
                absl::Time deadline, Done<v1::FollowUp> done);
  void RegisterCashback(const Principal& who, const v1::RegisterCashbackRequest& request,
                        absl::Time deadline, Done<v1::FollowUp> done);
  void Summary(const Principal& who, const v1::FollowUpSummaryRequest& request, absl::Time deadline,
               Done<v1::FollowUpSummary> done);

 private:
  // FollowUpBook::Update as the caller.
  void Update(const Principal& who, const std::string& op, const std::string& id,
              std::vector<std::string> args, absl::Time deadline, Done<v1::FollowUp> done);

  redis::Client& redis_;
  const redis::KeyScheme& keys_;
  Retention retention_;
  FollowUpBook& book_;
  FollowUpWorker& worker_;
  FollowUpMetrics& metrics_;
  redis::Script claim_;
  redis::Script page_;
  redis::Script cashback_;
};

}  // namespace orderwatch::followups
