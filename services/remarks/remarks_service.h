// Order remarks with colour flags: read, write with compare-and-set, history, lists by flag and
// the shop's legend. Plain logic over the Redis client, used by the gRPC handler, the tests and
// the load generator alike.
#pragma once

#include <string>

#include "absl/time/time.h"
#include "orderwatch/v1/remarks.pb.h"
#include "services/common/async.h"
#include "services/common/auth.h"
#include "services/common/retention.h"
#include "services/redis/client.h"
#include "services/redis/keys.h"
#include "services/redis/script.h"

namespace orderwatch::remarks {

class RemarksService {
 public:
  RemarksService(redis::Client& redis, const redis::KeyScheme& keys, Retention retention,
                 absl::TimeZone zone);

  void Get(const Principal& who, const v1::GetRemarkRequest& request, absl::Time deadline,
           Done<v1::Remark> done);
  void BatchGet(const Principal& who, const v1::BatchGetRemarksRequest& request,
                absl::Time deadline, Done<v1::BatchGetRemarksResponse> done);
  void Set(const Principal& who, const v1::SetRemarkRequest& request, absl::Time deadline,
           Done<v1::Remark> done);
  void Append(const Principal& who, const v1::AppendRemarkRequest& request, absl::Time deadline,
              Done<v1::Remark> done);
  void Clear(const Principal& who, const v1::ClearRemarkRequest& request, absl::Time deadline,
             Done<v1::Remark> done);
  void History(const Principal& who, const v1::RemarkHistoryRequest& request, absl::Time deadline,
               Done<v1::RemarkHistoryResponse> done);
  void ListByFlag(const Principal& who, const v1::ListByFlagRequest& request, absl::Time deadline,
                  Done<v1::ListByFlagResponse> done);
  void CountByFlag(const Principal& who, const v1::CountByFlagRequest& request, absl::Time deadline,
                   Done<v1::CountByFlagResponse> done);
  void GetLegend(const Principal& who, const v1::GetLegendRequest& request, absl::Time deadline,
                 Done<v1::Legend> done);
  void SetLegend(const Principal& who, const v1::SetLegendRequest& request, absl::Time deadline,
                 Done<v1::Legend> done);

 private:
  struct Write {
    std::string op;  // set, append, clear
    std::string request_id;
    std::string order_id;
    bool has_expected_version = false;
    int64_t expected_version = 0;
    bool has_flag = false;
    v1::Flag flag = v1::FLAG_NONE;
    std::string text;
  };
  // Checks what Set, Append and Clear share (request id, order id, expected version).
  template <typename Request>
  static absl::StatusOr<Write> StartWrite(const Request& request, const char* op);
  void RunWrite(const Principal& who, Write write, absl::Time deadline, Done<v1::Remark> done);
  // Reads the remarks of `order_ids` (one HMGET each, pipelined).
  void ReadRemarks(const std::string& shop, std::vector<std::string> order_ids, absl::Time deadline,
                   Done<std::vector<v1::Remark>> done);
  int64_t OldestLiveScore() const;

  redis::Client& redis_;
  const redis::KeyScheme& keys_;
  Retention retention_;
  absl::TimeZone zone_;
  redis::Script write_;
  redis::Script history_;
  redis::Script flag_page_;
  redis::Script flag_counts_;
  redis::Script legend_set_;
};

}  // namespace orderwatch::remarks
