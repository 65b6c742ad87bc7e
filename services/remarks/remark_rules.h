// The rules of remarks that need no Redis: limits, flag checks, the appended line's form, the
// default legend, page tokens and how a stored remark reads back.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "orderwatch/v1/remarks.pb.h"
#include "services/redis/reply.h"

namespace orderwatch::remarks {

inline constexpr size_t kMaxTextBytes = 1000;  // Taobao's memo limit
inline constexpr size_t kMaxReasonBytes = 200;
inline constexpr size_t kMaxMeaningBytes = 200;
inline constexpr int kMaxBatchGet = 500;
inline constexpr int kDefaultHistoryPage = 20;
inline constexpr int kMaxHistoryPage = 200;
inline constexpr int kDefaultFlagPage = 50;
inline constexpr int kMaxFlagPage = 500;

// A flag from a request's oneof: the internal enum checked, or a platform number converted.
// `present` is false when the request set neither.
struct RequestedFlag {
  bool present = false;
  v1::Flag flag = v1::FLAG_NONE;
};
template <typename Request>
absl::StatusOr<RequestedFlag> FlagOf(const Request& request);
absl::StatusOr<RequestedFlag> CheckFlag(bool has_flag, int flag, bool has_platform_flag,
                                        const v1::PlatformFlag& platform_flag);

// "reason agent/2026-11-11", the shops' form of a remark line, dated in `zone`.
std::string AppendedLine(std::string_view reason, std::string_view agent, absl::Time at,
                         absl::TimeZone zone);

// The default legend (DESIGN.md §1): what each colour means, red..purple.
const std::array<std::string_view, 6>& DefaultLegend();

// The fields a remark is stored in, in the order Get reads them (HMGET).
inline constexpr std::array<const char*, 6> kRemarkFields = {"f", "t", "v", "ua", "ub", "us"};
// Builds a Remark from values in kRemarkFields order (a HMGET reply, or the write script's).
v1::Remark RemarkFromValues(const std::string& order_id, const redis::Reply* values, size_t n);

// One history entry as the write script stores it (fields joined by \x1f).
absl::StatusOr<v1::RemarkChange> ParseChange(const std::string& entry);

// Flag-list page tokens: "<score>:<order id>" of the last entry returned.
struct FlagCursor {
  int64_t score = 0;
  std::string order_id;
};
std::string EncodeFlagCursor(const FlagCursor& c);
absl::StatusOr<FlagCursor> DecodeFlagCursor(std::string_view token);

template <typename Request>
absl::StatusOr<RequestedFlag> FlagOf(const Request& request) {
  return CheckFlag(request.flag_value_case() == Request::kFlag, request.flag(),
                   request.flag_value_case() == Request::kPlatformFlag, request.platform_flag());
}

}  // namespace orderwatch::remarks
