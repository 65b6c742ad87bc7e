-- Reads an order, from its own key or packed in its bucket (lib/order_place.lua).
-- KEYS[1] the order's key. Returns the order's HGETALL (empty for an unknown order).
return order_get(KEYS[1])
