// Reading an order hash. An unpaid order that waits for its reminders may be packed in its
// partition's order bucket rather than kept under its own key (lua/lib/order_place.lua), so
// whatever reads an order that may be unpaid reads it with ReadOrder, never HGETALL.
#pragma once

#include <string_view>

#include "services/redis/client.h"
#include "services/redis/keys.h"

namespace orderwatch::orders {

// A command whose reply is the order's HGETALL (empty for an unknown order), wherever it is kept.
redis::Command ReadOrder(const redis::KeyScheme& keys, std::string_view shop,
                         std::string_view order);

}  // namespace orderwatch::orders
