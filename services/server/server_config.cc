#include "services/server/server_config.h"

#include <functional>
#include <map>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/dispatch/delivery_sink.h"
#include "services/dispatch/webhook_sink.h"

namespace orderwatch::server {
namespace {

struct Setting {
  const char* flag;
  const char* env;
  const char* help;
  std::function<absl::Status(ServerConfig&, const std::string&)> apply;
};

absl::Status Bad(const char* flag, const std::string& value, const char* want) {
  return absl::InvalidArgumentError(absl::StrCat("--", flag, ": \"", value, "\" is not ", want));
}

// A whole number from lo to hi, handed to `set`.
std::function<absl::Status(ServerConfig&, const std::string&)> IntIn(
    const char* flag, int lo, int hi, std::function<void(ServerConfig&, int)> set) {
  return [=](ServerConfig& c, const std::string& v) {
    int n = 0;
    if (!absl::SimpleAtoi(v, &n) || n < lo || n > hi) {
      return Bad(flag, v, absl::StrCat("a number from ", lo, " to ", hi).c_str());
    }
    set(c, n);
    return absl::OkStatus();
  };
}

// A text setting kept as given (checked where it is used, e.g. a file when it is read).
std::function<absl::Status(ServerConfig&, const std::string&)> Text(
    std::string ServerConfig::*field) {
  return [field](ServerConfig& c, const std::string& v) {
    c.*field = v;
    return absl::OkStatus();
  };
}
std::function<absl::Status(ServerConfig&, const std::string&)> TlsText(
    std::string TlsFiles::*field) {
  return [field](ServerConfig& c, const std::string& v) {
    c.tls.*field = v;
    return absl::OkStatus();
  };
}

const std::vector<Setting>& Settings() {
  static const std::vector<Setting> kSettings = {
      {"grpc-addr", "ORDERWATCH_GRPC_ADDR",
       "host:port the gRPC API listens on (default 127.0.0.1:50051)",
       Text(&ServerConfig::grpc_addr)},
      {"tls-cert-file", "ORDERWATCH_TLS_CERT_FILE",
       "PEM certificate chain of the gRPC port: with it, the port speaks TLS only (needs "
       "--tls-key-file). The files are read again every minute, so a renewed certificate is "
       "served without a restart (default: none, plaintext)",
       TlsText(&TlsFiles::cert)},
      {"tls-key-file", "ORDERWATCH_TLS_KEY_FILE",
       "PEM private key of --tls-cert-file's certificate (unencrypted; keep it readable by the "
       "server only)",
       TlsText(&TlsFiles::key)},
      {"tls-client-ca-file", "ORDERWATCH_TLS_CLIENT_CA_FILE",
       "PEM CA bundle: clients must present a certificate it signed (mutual TLS), on top of "
       "their bearer token (needs --tls-cert-file) (default: none)",
       TlsText(&TlsFiles::client_ca)},
      {"metrics-addr", "ORDERWATCH_METRICS_ADDR",
       "host:port serving Prometheus /metrics (default 127.0.0.1:9464)",
       Text(&ServerConfig::metrics_addr)},
      {"redis", "ORDERWATCH_REDIS",
       "host:port of Redis, or unix:<path> of its Unix socket (default 127.0.0.1:6379)",
       [](ServerConfig& c, const std::string& v) {
         if (v.rfind("unix:", 0) == 0) {
           if (v.size() == 5) return Bad("redis", v, "unix:<path of the socket>");
           c.redis_unix = v.substr(5);
           return absl::OkStatus();
         }
         const size_t colon = v.rfind(':');
         int port = 0;
         if (colon == std::string::npos || colon == 0 ||
             !absl::SimpleAtoi(v.substr(colon + 1), &port) || port <= 0 || port > 65535) {
           return Bad("redis", v, "host:port");
         }
         c.redis_host = v.substr(0, colon);
         c.redis_port = port;
         c.redis_unix.clear();
         return absl::OkStatus();
       }},
      {"redis-cluster", "ORDERWATCH_REDIS_CLUSTER",
       "host:port[,host:port...] of some Redis Cluster nodes: orderwatch reads the slot map from "
       "them and sends each command to its slot's master, following failovers (replaces "
       "--redis) (default: no cluster)",
       [](ServerConfig& c, const std::string& v) {
         c.redis_cluster.clear();
         for (absl::string_view part : absl::StrSplit(v, ',', absl::SkipEmpty())) {
           auto node = redis::ParseNodeAddress(std::string_view(part.data(), part.size()));
           if (!node.ok()) return Bad("redis-cluster", v, "host:port[,host:port...]");
           c.redis_cluster.push_back(*std::move(node));
         }
         if (c.redis_cluster.empty()) return Bad("redis-cluster", v, "host:port[,host:port...]");
         return absl::OkStatus();
       }},
      {"redis-user", "ORDERWATCH_REDIS_USER",
       "Redis ACL user to authenticate as (with --redis-password-file; deploy/redis/acl-rules "
       "lists what it needs) (default: the default user)",
       Text(&ServerConfig::redis_user)},
      {"redis-password-file", "ORDERWATCH_REDIS_PASSWORD_FILE",
       "file holding the Redis password (of --redis-user, or requirepass); every connection "
       "sends AUTH first (default: none, no AUTH)",
       Text(&ServerConfig::redis_password_file)},
      {"redis-connections", "ORDERWATCH_REDIS_CONNECTIONS",
       "pipelined Redis connections shared by all calls (default 2)",
       IntIn("redis-connections", 1, 64, [](ServerConfig& c, int n) { c.redis_connections = n; })},
      {"max-in-flight", "ORDERWATCH_MAX_IN_FLIGHT",
       "gRPC calls admitted at once; beyond half of it low-priority calls (bulk reads, "
       "after-sales work) are refused with RESOURCE_EXHAUSTED and a retry hint, beyond three "
       "quarters normal ones, beyond it all (default 256)",
       IntIn("max-in-flight", Admission::kMinLimit, Admission::kMaxLimit,
             [](ServerConfig& c, int n) { c.max_in_flight = n; })},
      {"partitions", "ORDERWATCH_PARTITIONS",
       "hash-tag partitions of the key space; fixed for the life of the data (default 256)",
       IntIn("partitions", 1, 16384, [](ServerConfig& c, int n) { c.partitions = n; })},
      {"auth", "ORDERWATCH_AUTH",
       "\"tokens\" (bearer tokens: those of --tokens-file and those issued with \"orderwatch "
       "token issue\", kept hashed in Redis) or \"dev\" (trust "
       "x-orderwatch-shop/agent/role "
       "headers; development only) (default tokens)",
       [](ServerConfig& c, const std::string& v) {
         if (v != "tokens" && v != "dev") return Bad("auth", v, "tokens or dev");
         c.auth = v;
         return absl::OkStatus();
       }},
      {"tokens-file", "ORDERWATCH_TOKENS_FILE",
       "file of \"<token> <shop> <agent> <role>\" lines (or \"sha256:<hex of the token's "
       "SHA-256> ...\", as \"orderwatch token new\" prints them), roles "
       "storefront|agent|supervisor|ops; at least the first ops or supervisor",
       Text(&ServerConfig::tokens_file)},
      {"timezone", "ORDERWATCH_TIMEZONE", "time zone of remark dates (default Asia/Shanghai)",
       [](ServerConfig& c, const std::string& v) {
         absl::TimeZone tz;
         if (!absl::LoadTimeZone(v, &tz)) return Bad("timezone", v, "a known time zone");
         c.timezone = v;
         return absl::OkStatus();
       }},
      {"retention-days", "ORDERWATCH_RETENTION_DAYS",
       "days an order's keys live after its last change (default 90)",
       IntIn("retention-days", 1, 3650,
             [](ServerConfig& c, int n) { c.retention.order = absl::Hours(24) * n; })},
      {"pack-unpaid-orders", "ORDERWATCH_PACK_UNPAID_ORDERS",
       "on: unpaid orders waiting for their reminders are packed into shared Redis hashes "
       "(about 100 B less each); off: every order keeps a key of its own. Keep it off while "
       "instances of an orderwatch from before order buckets share the Redis (a rolling "
       "upgrade): they cannot read packed orders (default on)",
       [](ServerConfig& c, const std::string& v) {
         if (v != "on" && v != "off") return Bad("pack-unpaid-orders", v, "on or off");
         c.pack_unpaid_orders = v == "on";
         return absl::OkStatus();
       }},
      {"history-cap", "ORDERWATCH_HISTORY_CAP",
       "remark history entries kept per order (default 200)",
       IntIn("history-cap", 1, 10000,
             [](ServerConfig& c, int n) { c.retention.history_entries = n; })},
      {"request-ttl-hours", "ORDERWATCH_REQUEST_TTL_HOURS",
       "hours a request id is remembered for retries (default 24)",
       IntIn("request-ttl-hours", 1, 720,
             [](ServerConfig& c, int n) { c.retention.request = absl::Hours(n); })},
      {"redis-wait-seconds", "ORDERWATCH_REDIS_WAIT_SECONDS",
       "at start-up, seconds to wait for Redis before giving up (default 10)",
       IntIn("redis-wait-seconds", 1, 600,
             [](ServerConfig& c, int n) { c.redis_wait = absl::Seconds(n); })},
      {"reminder-sink", "ORDERWATCH_REMINDER_SINK",
       "where sent payment reminders go: log:<file> appends JSON lines (log:- = stdout); "
       "stream adds them to a Redis stream per channel, ow:{x:<channel>}:out, for external "
       "channel workers (stream:<n> keeps about n entries each; default 1000000); "
       "webhook:http://host:port/path POSTs each, signed, with an Idempotency-Key header "
       "(needs --reminder-webhook-secret-file) (default log:-)",
       [](ServerConfig& c, const std::string& v) {
         const bool log = v.rfind("log:", 0) == 0 && v.size() > 4;
         dispatch::WebhookOptions url;
         const bool webhook =
             v.rfind("webhook:", 0) == 0 && dispatch::ParseWebhookUrl(v.substr(8), &url).ok();
         if (!log && !webhook && !dispatch::ParseStreamSpec(v)) {
           return Bad("reminder-sink", v,
                      "log:<file>, stream, stream:<max length> or webhook:http://host:port/path");
         }
         c.reminder_sink = v;
         return absl::OkStatus();
       }},
      {"reminder-webhook-secret-file", "ORDERWATCH_REMINDER_WEBHOOK_SECRET_FILE",
       "file holding the webhook sink's signing secret (at least 16 bytes): each POST carries "
       "X-Orderwatch-Signature: sha256=<hex HMAC-SHA256 of \"<X-Orderwatch-Timestamp>.<body>\">",
       Text(&ServerConfig::reminder_webhook_secret_file)},
      {"reminder-rate-limits", "ORDERWATCH_REMINDER_RATE_LIMITS",
       "the webhook sink's limits per channel and instance, e.g. sms=50,im=200,phone=5 "
       "(per second; default: none)",
       [](ServerConfig& c, const std::string& v) {
         dispatch::WebhookOptions o;
         if (!dispatch::ParseRateLimits(v, &o).ok()) {
           return Bad("reminder-rate-limits", v, "<channel>=<per second>,... (im, sms, phone)");
         }
         c.reminder_rate_limits = v;
         return absl::OkStatus();
       }},
      {"lease-seconds", "ORDERWATCH_LEASE_SECONDS",
       "how long a partition's lease lasts unrenewed: a dead instance's scheduled work moves to "
       "another instance after this (default 5)",
       IntIn("lease-seconds", 3, 300,
             [](ServerConfig& c, int n) { c.scheduler.lease_ttl = absl::Seconds(n); })},
      {"job-in-flight-seconds", "ORDERWATCH_JOB_IN_FLIGHT_SECONDS",
       "a claimed job not finished within this is run again (its worker died) (default 30)",
       IntIn("job-in-flight-seconds", 1, 3600,
             [](ServerConfig& c, int n) { c.job_in_flight = absl::Seconds(n); })},
      {"gauge-seconds", "ORDERWATCH_GAUGE_SECONDS",
       "how often the gauges kept in Redis (open and overdue follow-ups, delayed shipments) are "
       "recounted (default 15)",
       IntIn("gauge-seconds", 1, 3600,
             [](ServerConfig& c, int n) { c.gauge_interval = absl::Seconds(n); })},
      {"drain-seconds", "ORDERWATCH_DRAIN_SECONDS",
       "on SIGTERM/SIGINT, seconds to let calls in flight finish (default 10)",
       IntIn("drain-seconds", 0, 600, [](ServerConfig& c, int n) { c.drain = absl::Seconds(n); })},
      {"max-connection-age-seconds", "ORDERWATCH_MAX_CONNECTION_AGE_SECONDS",
       "close each client connection after about this long (GOAWAY; calls in flight get "
       "--drain-seconds to finish) so clients reconnect and spread over instances added "
       "behind a layer-4 balancer, e.g. a Kubernetes Service; 0 = never (default 0)",
       IntIn("max-connection-age-seconds", 0, 86400,
             [](ServerConfig& c, int n) { c.max_connection_age = absl::Seconds(n); })},
  };
  return kSettings;
}

}  // namespace

std::string ServerUsage() {
  std::string out =
      "usage: orderwatch-server [--setting=value ...]\n\n"
      "orderwatch: order remarks with colour flags, order events and payment reminders over gRPC,\n"
      "on Redis.\n"
      "Every setting may also come from its environment variable; flags win.\n\n";
  for (const auto& s : Settings()) {
    absl::StrAppend(&out, "  --", s.flag, "  (", s.env, ")\n      ", s.help, "\n");
  }
  absl::StrAppend(
      &out,
      "\nOn SIGTERM or SIGINT the server reports NOT_SERVING on grpc.health.v1, waits a "
      "fifth of\n--drain-seconds (at most 2 s) for load balancers to notice, stops "
      "taking calls, lets\ncalls in flight finish within the rest, then exits.\n");
  return out;
}

absl::StatusOr<ServerConfig> ParseServerConfig(const std::vector<std::string>& env,
                                               const std::vector<std::string>& args, bool* help) {
  ServerConfig config;
  *help = false;
  std::map<std::string, std::string> vars;
  for (const auto& e : env) {
    const size_t eq = e.find('=');
    if (eq != std::string::npos) vars[e.substr(0, eq)] = e.substr(eq + 1);
  }
  for (const auto& s : Settings()) {
    auto it = vars.find(s.env);
    if (it == vars.end() || it->second.empty()) continue;
    if (auto st = s.apply(config, it->second); !st.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(s.env, ": ", st.message()));
    }
  }
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      *help = true;
      return config;
    }
    if (!absl::StartsWith(a, "--")) {
      return absl::InvalidArgumentError(absl::StrCat("unexpected argument \"", a, "\""));
    }
    std::string name = a.substr(2), value;
    const size_t eq = name.find('=');
    if (eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return absl::InvalidArgumentError(absl::StrCat("--", name, " needs a value"));
    }
    const Setting* setting = nullptr;
    for (const auto& s : Settings()) {
      if (name == s.flag) setting = &s;
    }
    if (setting == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("unknown flag --", name, "; see --help"));
    }
    if (auto st = setting->apply(config, value); !st.ok()) return st;
  }
  if (!config.redis_user.empty() && config.redis_password_file.empty()) {
    return absl::InvalidArgumentError("--redis-user needs --redis-password-file");
  }
  if (config.tls.cert.empty() != config.tls.key.empty()) {
    return absl::InvalidArgumentError(config.tls.cert.empty()
                                          ? "--tls-key-file needs --tls-cert-file"
                                          : "--tls-cert-file needs --tls-key-file");
  }
  if (!config.tls.client_ca.empty() && config.tls.cert.empty()) {
    return absl::InvalidArgumentError(
        "--tls-client-ca-file needs --tls-cert-file and --tls-key-file (mutual TLS is TLS)");
  }
  if (config.auth == "tokens" && config.tokens_file.empty()) {
    return absl::InvalidArgumentError(
        "--tokens-file is required with --auth=tokens (or use --auth=dev for development)");
  }
  return config;
}

}  // namespace orderwatch::server
