// The id of a job about one order ("<shop>:<order>"; shop ids hold no ':'), shared by every queue
// whose jobs are per order (reminders, sweeps), so a domain script finds the job from the order.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"

namespace orderwatch::scheduler {

inline std::string OrderJobId(std::string_view shop, std::string_view order) {
  return absl::StrCat(absl::string_view(shop.data(), shop.size()), ":",
                      absl::string_view(order.data(), order.size()));
}

inline absl::StatusOr<std::pair<std::string, std::string>> ParseOrderJobId(std::string_view id) {
  const size_t colon = id.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == id.size()) {
    return absl::InternalError(absl::StrCat("bad order job id: ", std::string(id)));
  }
  return std::make_pair(std::string(id.substr(0, colon)), std::string(id.substr(colon + 1)));
}

}  // namespace orderwatch::scheduler
