#include "services/server/server_app.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>
#include <prometheus/exposer.h>
#include <prometheus/registry.h>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "services/access/access_grpc.h"
#include "services/access/token_store.h"
#include "services/common/admission.h"
#include "services/common/auth.h"
#include "services/common/edge.h"
#include "services/common/log.h"
#include "services/common/secret_file.h"
#include "services/followups/followup_book.h"
#include "services/followups/followup_metrics.h"
#include "services/followups/followup_worker.h"
#include "services/followups/followups_grpc.h"
#include "services/orders/order_events_grpc.h"
#include "services/redis/client.h"
#include "services/redis/keys.h"
#include "services/remarks/remarks_grpc.h"
#include "services/reminders/reminders_grpc.h"
#include "services/scheduler/lease.h"
#include "services/scheduler/queues.h"
#include "services/server/admission_metrics.h"
#include "services/server/grpc_metrics.h"
#include "services/server/process_metrics.h"
#include "services/server/unparsable_request_status.h"
#include "services/shipments/notice_worker.h"
#include "services/shipments/shipment_gauges.h"
#include "services/shipments/shipments_grpc.h"
#include "services/shipments/sweep_worker.h"

namespace orderwatch::server {
namespace {

// Records the partition count on first start and refuses a different one later: keys already
// written would no longer be found. Without Redis the check cannot be made, so the server does
// not start.
absl::Status CheckPartitions(redis::Client& redis, int partitions, absl::Duration wait) {
  if (!redis.WaitConnected(wait)) {
    const std::string refusal = redis.LastRefusal();
    if (!refusal.empty()) {
      return absl::UnauthenticatedError(
          absl::StrCat("Redis at ", redis.options().Address(), ": ", refusal,
                       " (ORDERWATCH_REDIS_USER, ORDERWATCH_REDIS_PASSWORD_FILE)"));
    }
    return absl::UnavailableError(
        absl::StrCat("Redis at ", redis.options().Address(), " did not answer within ",
                     absl::FormatDuration(wait), "; is it running? (ORDERWATCH_REDIS)"));
  }
  static const redis::Script kRecord("record_partitions",
                                     "redis.call('HSETNX', KEYS[1], 'partitions', ARGV[1])\n"
                                     "return redis.call('HGET', KEYS[1], 'partitions')\n");
  absl::Notification done;
  absl::StatusOr<redis::Reply> reply;
  redis.Run(redis::Command::Eval(kRecord, {redis::KeyScheme::Meta()}, {absl::StrCat(partitions)}),
            absl::Now() + absl::Seconds(5), [&](absl::StatusOr<redis::Reply> r) {
              reply = std::move(r);
              done.Notify();
            });
  done.WaitForNotification();
  if (!reply.ok()) return reply.status();
  if (reply->str != absl::StrCat(partitions)) {
    return absl::FailedPreconditionError(absl::StrCat("Redis holds data written with ", reply->str,
                                                      " partitions; this server is "
                                                      "configured with ",
                                                      partitions,
                                                      ". Set ORDERWATCH_PARTITIONS=", reply->str));
  }
  return absl::OkStatus();
}

}  // namespace

struct ServerApp::Parts {
  std::shared_ptr<prometheus::Registry> registry = std::make_shared<prometheus::Registry>();
  std::shared_ptr<ProcessMetrics> process_metrics = std::make_shared<ProcessMetrics>();
  std::unique_ptr<redis::ClientMetrics> redis_metrics;
  std::unique_ptr<GrpcMetrics> grpc_metrics;
  // Before everything that may hold a call's completion (and so its admission ticket): destroyed
  // after them.
  std::unique_ptr<AdmissionMetrics> admission_metrics;
  std::unique_ptr<Admission> admission;
  std::unique_ptr<prometheus::Exposer> exposer;
  std::unique_ptr<redis::KeyScheme> keys;
  std::unique_ptr<redis::Client> redis;
  Authenticator auth = Authenticator::Development();
  SystemClock system_clock;
  std::unique_ptr<scheduler::SchedulerMetrics> scheduler_metrics;
  std::unique_ptr<scheduler::Scheduler> scheduler;
  std::unique_ptr<dispatch::DeliverySink> sink;
  std::unique_ptr<reminders::ReminderMetrics> reminder_metrics;
  std::unique_ptr<reminders::ReminderSettingsStore> reminder_settings;
  std::unique_ptr<reminders::ReminderCommitter> committer;
  std::unique_ptr<reminders::BuyerBook> buyer_book;
  std::unique_ptr<reminders::ReminderWorker> reminder_worker;
  std::unique_ptr<reminders::RemindersService> reminders;
  std::unique_ptr<reminders::ReminderAnswers> reminder_answers;
  std::unique_ptr<reminders::ReminderStatsReader> reminder_stats;
  std::unique_ptr<reminders::RemindersGrpc> reminders_grpc;
  std::unique_ptr<shipments::ShipmentPolicyStore> shipment_policies;
  std::unique_ptr<shipments::SweepWorker> sweep_worker;
  std::unique_ptr<shipments::NoticeWorker> notice_worker;
  std::unique_ptr<shipments::ShipmentsService> shipments;
  std::unique_ptr<shipments::ShipmentsGrpc> shipments_grpc;
  std::unique_ptr<followups::FollowUpMetrics> followup_metrics;
  std::unique_ptr<followups::FollowUpBook> followup_book;
  std::unique_ptr<followups::FollowUpWorker> followup_worker;
  std::unique_ptr<followups::FollowUpsService> followups;
  std::unique_ptr<followups::FollowUpsGrpc> followups_grpc;
  std::unique_ptr<followups::SlaGauges> sla_gauges;
  std::unique_ptr<shipments::ShipmentGauges> shipment_gauges;
  std::unique_ptr<orders::OrderEventsService> orders;
  std::unique_ptr<remarks::RemarksService> remarks;
  std::unique_ptr<orders::OrderEventsGrpc> orders_grpc;
  std::unique_ptr<remarks::RemarksGrpc> remarks_grpc;
  std::unique_ptr<access::TokenStore> token_store;
  std::unique_ptr<access::AccessService> access;
  std::unique_ptr<access::AccessGrpc> access_grpc;
  std::unique_ptr<grpc::Server> server;
  int grpc_port = 0;
  bool shut_down = false;
};

absl::StatusOr<std::unique_ptr<ServerApp>> ServerApp::Start(const ServerConfig& config) {
  auto p = std::make_unique<Parts>();
  // Checked before anything starts: a wrong file stops the start with the file named.
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      GrpcServerCredentials(config.tls);
  if (!credentials.ok()) return credentials.status();
  if (config.auth == "dev") {
    Log(LogLevel::kWarning,
        "auth=dev: x-orderwatch-shop/agent/role headers are trusted; never expose this server");
  } else {
    auto auth = Authenticator::FromTokenFile(config.tokens_file);
    if (!auth.ok()) return auth.status();
    p->auth = *std::move(auth);
  }
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(config.timezone, &zone)) {
    return absl::InvalidArgumentError(absl::StrCat("timezone: unknown zone ", config.timezone));
  }

  p->redis_metrics = std::make_unique<redis::ClientMetrics>(*p->registry);
  p->grpc_metrics = std::make_unique<GrpcMetrics>(
      *p->registry, std::vector<std::string>{
                        v1::OrderEvents::service_full_name(), v1::Remarks::service_full_name(),
                        v1::Reminders::service_full_name(), v1::Shipments::service_full_name(),
                        v1::FollowUps::service_full_name(), v1::Access::service_full_name()});
  p->scheduler_metrics =
      std::make_unique<scheduler::SchedulerMetrics>(*p->registry, scheduler::AllQueues());
  // One bound on calls in flight for all services; health and reflection are not subject to it.
  p->admission_metrics = std::make_unique<AdmissionMetrics>(*p->registry);
  p->admission = std::make_unique<Admission>(Admission::Options{
      .max_in_flight = config.max_in_flight, .observer = p->admission_metrics.get()});
  p->admission_metrics->SetLimit(p->admission->max_in_flight());
  const Edge edge{p->auth, *p->admission};
  try {
    p->exposer = std::make_unique<prometheus::Exposer>(config.metrics_addr, 2);
  } catch (const std::exception& e) {
    return absl::UnavailableError(
        absl::StrCat("metrics: cannot listen on ", config.metrics_addr, ": ", e.what()));
  }
  RegisterBuildInfo(*p->registry);
  p->exposer->RegisterCollectable(p->registry);
  p->exposer->RegisterCollectable(p->process_metrics);

  redis::ClientOptions redis_options;
  redis_options.host = config.redis_host;
  redis_options.port = config.redis_port;
  redis_options.unix_path = config.redis_unix;
  redis_options.cluster = config.redis_cluster;
  redis_options.connections = config.redis_connections;
  if (!config.redis_password_file.empty()) {
    auto password = ReadSecretFile("redis-password-file", config.redis_password_file, 1);
    if (!password.ok()) return password.status();
    redis_options.username = config.redis_user;
    redis_options.password = *std::move(password);
  }
  p->keys = std::make_unique<redis::KeyScheme>(config.partitions);
  p->redis = std::make_unique<redis::Client>(redis_options, p->redis_metrics.get());
  auto sink =
      dispatch::OpenSink(config.reminder_sink, *p->redis, *p->keys,
                         {config.reminder_webhook_secret_file, config.reminder_rate_limits});
  if (!sink.ok()) return sink.status();
  p->sink = *std::move(sink);
  p->reminder_metrics = std::make_unique<reminders::ReminderMetrics>(*p->registry, p->sink->name());
  p->redis->Start();
  if (auto s = CheckPartitions(*p->redis, config.partitions, config.redis_wait); !s.ok()) return s;
  p->token_store = std::make_unique<access::TokenStore>(*p->redis, p->auth);
  if (!p->auth.development()) {
    if (auto s = p->token_store->Load(absl::Now() + config.redis_wait); !s.ok()) return s;
    p->token_store->StartSync(absl::Seconds(1));
    Log(LogLevel::kInfo,
        absl::StrCat("auth=tokens: ", p->auth.token_count(), " principals (token file and store)"));
  }
  p->access = std::make_unique<access::AccessService>(*p->token_store, p->auth);
  p->access_grpc = std::make_unique<access::AccessGrpc>(*p->access, edge);

  const Clock& clock = config.clock != nullptr ? *config.clock : p->system_clock;
  p->scheduler =
      std::make_unique<scheduler::Scheduler>(*p->redis, *p->keys, clock, *p->scheduler_metrics,
                                             config.scheduler, scheduler::NewHolderId());
  p->reminder_settings =
      std::make_unique<reminders::ReminderSettingsStore>(*p->redis, *p->keys, absl::Seconds(5));
  p->committer =
      std::make_unique<reminders::ReminderCommitter>(*p->redis, *p->keys, config.retention);
  p->buyer_book = std::make_unique<reminders::BuyerBook>(*p->redis, *p->keys, config.retention);
  p->reminder_worker = std::make_unique<reminders::ReminderWorker>(
      *p->redis, *p->keys, clock, *p->reminder_settings, *p->committer, *p->buyer_book, *p->sink,
      *p->reminder_metrics, scheduler::QueueOptions{.in_flight = config.job_in_flight},
      scheduler::QueueOptions{.in_flight = config.job_in_flight});
  p->reminder_worker->Attach(*p->scheduler);
  p->reminders = std::make_unique<reminders::RemindersService>(
      *p->redis, *p->keys, clock, *p->reminder_settings, *p->committer, *p->buyer_book,
      *p->reminder_worker, *p->reminder_metrics);
  p->reminder_answers = std::make_unique<reminders::ReminderAnswers>(
      *p->redis, *p->keys, clock, config.retention, *p->reminder_worker);
  p->reminder_stats = std::make_unique<reminders::ReminderStatsReader>(*p->redis, *p->keys, clock,
                                                                       *p->reminder_settings);
  p->reminders_grpc = std::make_unique<reminders::RemindersGrpc>(
      *p->reminders, *p->reminder_answers, *p->reminder_stats, edge);
  p->shipment_policies =
      std::make_unique<shipments::ShipmentPolicyStore>(*p->redis, *p->keys, absl::Seconds(5));
  p->sweep_worker = std::make_unique<shipments::SweepWorker>(
      *p->redis, *p->keys, *p->shipment_policies, config.retention,
      [worker = p->reminder_worker.get()](const std::string& shop) {
        return worker->ShopZone(shop);
      },
      scheduler::QueueOptions{.in_flight = config.job_in_flight});
  p->notice_worker = std::make_unique<shipments::NoticeWorker>(
      *p->redis, *p->keys, *p->sink,
      [settings = p->reminder_settings.get()](const std::string& shop) {
        bool fresh = false;
        auto s = settings->Peek(shop, &fresh);
        return s == nullptr ? shipments::ShopFacts{shop, absl::FixedTimeZone(8 * 3600)}
                            : shipments::ShopFacts{s->ShopName(shop), s->Zone()};
      },
      *p->shipment_policies, *p->registry,
      scheduler::QueueOptions{.in_flight = config.job_in_flight});
  // After the reminders: pre-sale work goes first.
  p->sweep_worker->Attach(*p->scheduler, p->notice_worker->queue());
  p->notice_worker->Attach(*p->scheduler);
  p->followup_metrics = std::make_unique<followups::FollowUpMetrics>(*p->registry);
  p->followup_book =
      std::make_unique<followups::FollowUpBook>(*p->redis, clock, *p->followup_metrics);
  p->followup_worker = std::make_unique<followups::FollowUpWorker>(
      *p->redis, *p->keys, *p->followup_book, config.retention,
      scheduler::QueueOptions{.in_flight = config.job_in_flight});
  p->followup_worker->Attach(*p->scheduler);
  p->followups = std::make_unique<followups::FollowUpsService>(
      *p->redis, *p->keys, config.retention, *p->followup_book, *p->followup_worker,
      *p->followup_metrics);
  p->followups_grpc = std::make_unique<followups::FollowUpsGrpc>(*p->followups, edge);
  p->sla_gauges = std::make_unique<followups::SlaGauges>(*p->redis, clock, *p->followup_metrics,
                                                         config.gauge_interval);
  p->shipment_gauges = std::make_unique<shipments::ShipmentGauges>(
      *p->redis, *p->keys, *p->registry, config.gauge_interval);
  p->shipments =
      std::make_unique<shipments::ShipmentsService>(*p->redis, *p->keys, *p->shipment_policies);
  p->shipments_grpc = std::make_unique<shipments::ShipmentsGrpc>(*p->shipments, edge);
  p->orders = std::make_unique<orders::OrderEventsService>(
      *p->redis, *p->keys, config.retention, p->reminder_worker.get(), config.pack_unpaid_orders);
  p->remarks =
      std::make_unique<remarks::RemarksService>(*p->redis, *p->keys, config.retention, zone);
  p->orders_grpc = std::make_unique<orders::OrderEventsGrpc>(*p->orders, edge);
  p->remarks_grpc = std::make_unique<remarks::RemarksGrpc>(*p->remarks, edge);

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(config.grpc_addr, *credentials, &p->grpc_port);
  // The largest valid request, a batch of 500 events at their field limits, is under 1 MiB;
  // anything bigger is refused (RESOURCE_EXHAUSTED) before it is parsed or buffered further.
  builder.SetMaxReceiveMessageSize(kMaxRequestBytes);
  if (config.max_connection_age > absl::ZeroDuration()) {
    // gRPC adds a jitter of +-10% so that reconnections spread out.
    builder.AddChannelArgument(
        GRPC_ARG_MAX_CONNECTION_AGE_MS,
        static_cast<int>(absl::ToInt64Milliseconds(config.max_connection_age)));
    builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS,
                               static_cast<int>(absl::ToInt64Milliseconds(config.drain)));
  }
  builder.RegisterService(p->orders_grpc.get());
  builder.RegisterService(p->remarks_grpc.get());
  builder.RegisterService(p->reminders_grpc.get());
  builder.RegisterService(p->shipments_grpc.get());
  builder.RegisterService(p->followups_grpc.get());
  builder.RegisterService(p->access_grpc.get());
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> creators;
  // In this order: the metrics see the status as corrected.
  creators.push_back(UnparsableRequestStatusFactory());
  creators.push_back(p->grpc_metrics->InterceptorFactory());
  builder.experimental().SetInterceptorCreators(std::move(creators));
  p->server = builder.BuildAndStart();
  if (p->server == nullptr || p->grpc_port == 0) {
    return absl::UnavailableError(absl::StrCat("grpc: cannot listen on ", config.grpc_addr));
  }
  p->scheduler->Start();
  p->sla_gauges->Start();
  p->shipment_gauges->Start();
  p->server->GetHealthCheckService()->SetServingStatus(true);
  return std::unique_ptr<ServerApp>(new ServerApp(std::move(p)));
}

ServerApp::ServerApp(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}

ServerApp::~ServerApp() { Shutdown(absl::ZeroDuration()); }

int ServerApp::grpc_port() const { return parts_->grpc_port; }

int ServerApp::metrics_port() const {
  auto ports = parts_->exposer->GetListeningPorts();
  return ports.empty() ? 0 : ports.front();
}

void ServerApp::Shutdown(absl::Duration drain) {
  if (parts_->shut_down) return;
  parts_->shut_down = true;
  parts_->server->GetHealthCheckService()->SetServingStatus(false);
  // Give load balancers that watch health a moment to stop routing here before calls are refused.
  absl::SleepFor(std::min(drain / 5, absl::Seconds(2)));
  // Calls in flight complete (their Redis replies still arrive); new ones are refused. After the
  // drain deadline, whatever is left is cancelled.
  parts_->server->Shutdown(absl::ToChronoTime(absl::Now() + drain));
  parts_->server->Wait();
  // Jobs out with handlers finish, and the leases go back so another instance takes over at once.
  parts_->scheduler->Stop();
  parts_->sla_gauges.reset();
  parts_->shipment_gauges.reset();
  parts_->redis->Stop();
}

}  // namespace orderwatch::server
