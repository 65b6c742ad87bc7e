#include "services/redis/metrics.h"

namespace orderwatch::redis {

ClientMetrics::ClientMetrics(prometheus::Registry& registry) {
  in_flight = &prometheus::BuildGauge()
                   .Name("orderwatch_redis_in_flight_commands")
                   .Help("Redis commands sent and not yet answered.")
                   .Register(registry)
                   .Add({});
  connections_up = &prometheus::BuildGauge()
                        .Name("orderwatch_redis_connections_up")
                        .Help("Redis connections currently established.")
                        .Register(registry)
                        .Add({});
  reconnects = &prometheus::BuildCounter()
                    .Name("orderwatch_redis_reconnects_total")
                    .Help("Redis connection attempts made after a connection was lost or refused.")
                    .Register(registry)
                    .Add({});
  commands = &prometheus::BuildCounter()
                  .Name("orderwatch_redis_commands_total")
                  .Help("Redis commands sent.")
                  .Register(registry)
                  .Add({});
  auto& errors = prometheus::BuildCounter()
                     .Name("orderwatch_redis_errors_total")
                     .Help("Redis commands that failed, by kind.")
                     .Register(registry);
  errors_unavailable = &errors.Add({{"kind", "unavailable"}});
  errors_deadline = &errors.Add({{"kind", "deadline"}});
  errors_reply = &errors.Add({{"kind", "reply"}});
  noscript_fallbacks =
      &prometheus::BuildCounter()
           .Name("orderwatch_redis_noscript_fallbacks_total")
           .Help(
               "EVALSHA calls that found no cached script and were resent as EVAL (a connection "
               "sends each script's body first, so only after a SCRIPT FLUSH).")
           .Register(registry)
           .Add({});
  redirects = &prometheus::BuildCounter()
                   .Name("orderwatch_redis_cluster_redirects_total")
                   .Help(
                       "Commands a Redis Cluster node redirected (MOVED, ASK) and that were sent "
                       "on to the node named: the slot map was out of date.")
                   .Register(registry)
                   .Add({});
  round_trip = &prometheus::BuildHistogram()
                    .Name("orderwatch_redis_round_trip_seconds")
                    .Help("Seconds from sending a Redis command to receiving its reply.")
                    .Register(registry)
                    .Add({}, prometheus::Histogram::BucketBoundaries{0.0001, 0.00025, 0.0005, 0.001,
                                                                     0.0025, 0.005, 0.01, 0.025,
                                                                     0.05, 0.1, 0.25, 0.5, 1});
}

}  // namespace orderwatch::redis
