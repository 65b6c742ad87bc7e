#include "services/orders/order_read.h"

#include "services/redis/script.h"

namespace orderwatch::orders {
namespace lua {
extern const std::string_view kOrderRead;
}  // namespace lua

redis::Command ReadOrder(const redis::KeyScheme& keys, std::string_view shop,
                         std::string_view order) {
  static const redis::Script* const script = new redis::Script("order_read", lua::kOrderRead);
  return redis::Command::Eval(*script, {keys.Order(shop, order)}, {});
}

}  // namespace orderwatch::orders
