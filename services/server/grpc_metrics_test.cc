#include "services/server/grpc_metrics.h"

#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include "orderwatch/v1/remarks.grpc.pb.h"

namespace orderwatch::server {
namespace {

TEST(GrpcMetricsTest, CreatesEveryChildAtStartUp) {
  prometheus::Registry registry;
  GrpcMetrics metrics(registry, {v1::Remarks::service_full_name()});
  ASSERT_NE(metrics.Find("/orderwatch.v1.Remarks/Set"), nullptr);
  EXPECT_EQ(metrics.Find("/orderwatch.v1.Remarks/Nope"), nullptr);
  const std::string text = prometheus::TextSerializer().Serialize(registry.Collect());
  EXPECT_NE(text.find("grpc_server_handled_total{grpc_code=\"InvalidArgument\",grpc_method=\"Set\","
                      "grpc_service=\"orderwatch.v1.Remarks\",grpc_type=\"unary\"} 0"),
            std::string::npos);
  EXPECT_NE(text.find("grpc_server_handling_seconds_bucket{grpc_method=\"BatchGet\""),
            std::string::npos);
}

TEST(GrpcMetricsTest, CodeLabelsAreTitleCase) {
  EXPECT_STREQ(GrpcCodeLabel(0), "OK");
  EXPECT_STREQ(GrpcCodeLabel(4), "DeadlineExceeded");
  EXPECT_STREQ(GrpcCodeLabel(16), "Unauthenticated");
}

}  // namespace
}  // namespace orderwatch::server
