#include "services/server/unparsable_request_status.h"

#include <gtest/gtest.h>

namespace orderwatch::server {
namespace {

constexpr char kTail[] =
    "' contains invalid UTF-8 data when parsing a protocol buffer. Use the 'bytes' type if you "
    "intend to send raw bytes. ";

TEST(InvalidUtf8FieldTest, NamesTheRequestsFieldOrTheNestedMessagesField) {
  EXPECT_EQ(
      InvalidUtf8Field(std::string("String field 'orderwatch.v1.SetRemarkRequest.text") + kTail),
      "text");
  EXPECT_EQ(
      InvalidUtf8Field(std::string("String field 'orderwatch.v1.ReminderPolicy.shop_name") + kTail),
      "ReminderPolicy.shop_name");
  EXPECT_EQ(InvalidUtf8Field("CHECK failed: something else"), "");
  EXPECT_EQ(InvalidUtf8Field("String field 'x.Y.z' is fine"), "");
}

}  // namespace
}  // namespace orderwatch::server
