// Prometheus metrics of the Redis client. Every child is created here, at start-up.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

namespace orderwatch::redis {

struct ClientMetrics {
  explicit ClientMetrics(prometheus::Registry& registry);

  prometheus::Gauge* in_flight;             // commands sent, reply not yet received
  prometheus::Gauge* connections_up;        // connections currently established
  prometheus::Counter* reconnects;          // connection attempts after a loss
  prometheus::Counter* commands;            // commands sent
  prometheus::Counter* errors_unavailable;  // no connection, or the connection dropped
  prometheus::Counter* errors_deadline;     // the caller's deadline passed first
  prometheus::Counter* errors_reply;        // Redis answered with an error
  prometheus::Counter* noscript_fallbacks;  // EVALSHA missed the script cache; resent as EVAL
  prometheus::Counter* redirects;           // Redis Cluster MOVED/ASK answers followed
  prometheus::Histogram* round_trip;        // seconds from send to reply
};

}  // namespace orderwatch::redis
