// Every due-queue of orderwatch, by name (the name is part of its Redis keys and its metrics'
// queue label). Listed in claim priority: at peak, pre-sale work goes before after-sales work.
#pragma once

#include <string>
#include <vector>

namespace orderwatch::scheduler {

inline constexpr char kReminderQueue[] = "rem";  // an unpaid order's next automatic reminder
inline constexpr char kDeliveryQueue[] = "out";  // a committed reminder on its way to the sinks
inline constexpr char kSweepQueue[] = "shp";     // a paid, unshipped order's next shipment stage
inline constexpr char kNoticeQueue[] = "ntc";    // a shipment notice on its way to the sinks
inline constexpr char kFollowUpQueue[] = "fup";  // an order event's follow-up, to be opened

inline std::vector<std::string> AllQueues() {
  return {kReminderQueue, kDeliveryQueue, kSweepQueue, kNoticeQueue, kFollowUpQueue};
}

}  // namespace orderwatch::scheduler
