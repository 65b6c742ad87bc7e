#include "services/cli/values.h"

#include <cmath>
#include <random>

#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "services/cli/text.h"
#include "services/common/flags.h"

namespace orderwatch::cli {
namespace {

absl::Status Invalid(std::string_view option, std::string_view value, std::string_view what) {
  return absl::InvalidArgumentError(Cat("--", option, ": \"", value, "\" is not ", what));
}

}  // namespace

absl::StatusOr<int64_t> ParseNonNegativeInt64(std::string_view option, std::string_view value) {
  int64_t n = 0;
  if (!absl::SimpleAtoi(Absl(value), &n) || n < 0) {
    return Invalid(option, value, "a whole number >= 0");
  }
  return n;
}

absl::StatusOr<int32_t> ParseInt32(std::string_view option, std::string_view value) {
  int32_t n = 0;
  if (!absl::SimpleAtoi(Absl(value), &n)) return Invalid(option, value, "a whole number");
  return n;
}

absl::StatusOr<int32_t> ParsePositiveInt32(std::string_view option, std::string_view value) {
  int32_t n = 0;
  if (!absl::SimpleAtoi(Absl(value), &n) || n <= 0) {
    return Invalid(option, value, "a whole number > 0");
  }
  return n;
}

absl::StatusOr<absl::Duration> ParseTimeout(std::string_view value) {
  double seconds = 0;
  if (!absl::SimpleAtod(Absl(value), &seconds) || !std::isfinite(seconds) || seconds <= 0 ||
      seconds > 1e6) {
    return Invalid("timeout", value, "a number of seconds > 0");
  }
  return absl::Seconds(seconds);
}

absl::Status TimeOption(const Invocation& inv, std::string_view option, absl::Time now,
                        int64_t* out) {
  const std::string* value = inv.Find(option);
  if (value == nullptr) return absl::OkStatus();
  absl::StatusOr<int64_t> ms = ParseTimeMs(option, *value, now);
  if (!ms.ok()) return ms.status();
  *out = *ms;
  return absl::OkStatus();
}

absl::StatusOr<int64_t> ParseTimeMs(std::string_view option, std::string_view value,
                                    absl::Time now) {
  constexpr std::string_view kWhat =
      "a time: Unix milliseconds, now, now+30m, now-2h or RFC 3339 (2026-11-11T00:00:00+08:00)";
  if (value == "now") return absl::ToUnixMillis(now);
  if (value.size() > 4 && value.substr(0, 3) == "now" && (value[3] == '+' || value[3] == '-')) {
    absl::Duration offset;
    if (!absl::ParseDuration(Absl(value.substr(4)), &offset) || offset < absl::ZeroDuration()) {
      return Invalid(option, value, kWhat);
    }
    return absl::ToUnixMillis(value[3] == '+' ? now + offset : now - offset);
  }
  int64_t ms = 0;
  if (absl::SimpleAtoi(Absl(value), &ms)) {
    if (ms < 0) return Invalid(option, value, kWhat);
    return ms;
  }
  absl::Time t;
  std::string error;
  if (absl::ParseTime(absl::RFC3339_full, Absl(value), &t, &error)) return absl::ToUnixMillis(t);
  return Invalid(option, value, kWhat);
}

absl::StatusOr<v1::Flag> ParseFlagOption(std::string_view option, std::string_view value) {
  absl::StatusOr<v1::Flag> flag = ParseFlag(value);
  if (!flag.ok()) {
    return Invalid(option, value,
                   "a flag: none, red, yellow, green, blue, purple, 灰 红 黄 绿 蓝 紫 or 0-5");
  }
  return flag;
}

absl::StatusOr<v1::Platform> ParsePlatformOption(std::string_view option, std::string_view value) {
  absl::StatusOr<v1::Platform> platform = ParsePlatform(value);
  if (!platform.ok()) {
    return Invalid(option, value, "a platform: taobao, jd, pinduoduo, douyin or xiaohongshu");
  }
  return platform;
}

std::string RandomHexId() {
  std::random_device device;
  const uint64_t hi = device();
  const uint64_t lo = device();
  return absl::StrFormat("%016x", (hi << 32) ^ lo);
}

}  // namespace orderwatch::cli
