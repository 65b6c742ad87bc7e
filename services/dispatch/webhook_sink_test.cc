#include "services/dispatch/webhook_sink.h"

#include <gtest/gtest.h>

namespace orderwatch::dispatch {
namespace {

TEST(WebhookSinkTest, UrlsParseIntoHostPortAndPath) {
  WebhookOptions o;
  ASSERT_TRUE(ParseWebhookUrl("http://10.0.0.7:8080/hooks/sms", &o).ok());
  EXPECT_EQ(o.host, "10.0.0.7");
  EXPECT_EQ(o.port, 8080);
  EXPECT_EQ(o.path, "/hooks/sms");
  ASSERT_TRUE(ParseWebhookUrl("http://gateway.internal", &o).ok());
  EXPECT_EQ(o.host, "gateway.internal");
  EXPECT_EQ(o.port, 80);
  EXPECT_EQ(o.path, "/");
  EXPECT_FALSE(ParseWebhookUrl("https://x/y", &o).ok());
  EXPECT_FALSE(ParseWebhookUrl("http://:80/y", &o).ok());
  EXPECT_FALSE(ParseWebhookUrl("http://x:99999/y", &o).ok());
  EXPECT_FALSE(ParseWebhookUrl("http://x:port/y", &o).ok());
}

TEST(WebhookSinkTest, RateLimitsNameChannels) {
  WebhookOptions o;
  ASSERT_TRUE(ParseRateLimits("sms=50,im=200,phone=0.5,warehouse=20", &o).ok());
  EXPECT_EQ(o.per_second.at("sms"), 50);
  EXPECT_EQ(o.per_second.at("phone"), 0.5);
  ASSERT_TRUE(ParseRateLimits("", &o).ok());
  EXPECT_TRUE(o.per_second.empty());
  EXPECT_FALSE(ParseRateLimits("sms=0", &o).ok());
  EXPECT_FALSE(ParseRateLimits("fax=1", &o).ok());
  EXPECT_FALSE(ParseRateLimits("sms", &o).ok());
}

TEST(WebhookSinkTest, SignatureIsHmacSha256OfTimestampDotBody) {
  // printf '%s' '1762747200000.{"a":1}' | openssl dgst -sha256 -hmac test-secret-0123456789abcdef
  EXPECT_EQ(WebhookSignature("test-secret-0123456789abcdef", "1762747200000", R"({"a":1})"),
            "eeb6889e68260828ba549f511b67a5a9697a6afb44ef0086a35646aa982ea9b2");
}

}  // namespace
}  // namespace orderwatch::dispatch
