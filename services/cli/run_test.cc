// Runs the CLI against an in-process fake orderwatch server.
#include "services/cli/run.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>

#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "orderwatch/v1/order_events.grpc.pb.h"
#include "orderwatch/v1/remarks.grpc.pb.h"
#include "orderwatch/v1/reminders.grpc.pb.h"

namespace orderwatch::cli {
namespace {

using Metadata = std::multimap<std::string, std::string>;

Metadata MetadataOf(grpc::ServerContext* context) {
  Metadata metadata;
  for (const auto& [key, value] : context->client_metadata()) {
    metadata.emplace(std::string(key.data(), key.size()), std::string(value.data(), value.size()));
  }
  return metadata;
}

class FakeRemarks final : public v1::Remarks::Service {
 public:
  grpc::Status Get(grpc::ServerContext* context, const v1::GetRemarkRequest* request,
                   v1::Remark* response) override {
    Record(context, "Get");
    if (request->order_id() == "missing") {
      return grpc::Status(grpc::StatusCode::NOT_FOUND, "no order missing");
    }
    if (request->order_id() == "denied") {
      return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "no identity");
    }
    response->set_order_id(request->order_id());
    response->set_flag(v1::FLAG_RED);
    response->set_version(3);
    response->set_text("已催付");
    return grpc::Status::OK;
  }

  grpc::Status BatchGet(grpc::ServerContext* context, const v1::BatchGetRemarksRequest* request,
                        v1::BatchGetRemarksResponse* response) override {
    Record(context, "BatchGet");
    for (const std::string& id : request->order_ids()) response->add_remarks()->set_order_id(id);
    return grpc::Status::OK;
  }

  grpc::Status Set(grpc::ServerContext* context, const v1::SetRemarkRequest* request,
                   v1::Remark* response) override {
    Record(context, "Set");
    {
      std::lock_guard<std::mutex> lock(mu_);
      last_set_ = *request;
    }
    if (request->expected_version() != 3) {
      return grpc::Status(grpc::StatusCode::ABORTED, "expected_version: the remark is at 3");
    }
    response->set_order_id(request->order_id());
    response->set_flag(request->flag());
    response->set_text(request->text());
    response->set_version(4);
    return grpc::Status::OK;
  }

  // Three pages: "" -> "p2" -> "p3" -> end.
  grpc::Status History(grpc::ServerContext* context, const v1::RemarkHistoryRequest* request,
                       v1::RemarkHistoryResponse* response) override {
    Record(context, "History");
    const std::string& token = request->page_token();
    const int64_t version = token.empty() ? 3 : token == "p2" ? 2 : 1;
    v1::RemarkChange* change = response->add_changes();
    change->set_version(version);
    change->set_op("set");
    change->set_text_after("v" + std::to_string(version));
    if (version > 1) response->set_next_page_token("p" + std::to_string(5 - version));
    return grpc::Status::OK;
  }

  grpc::Status CountByFlag(grpc::ServerContext* context, const v1::CountByFlagRequest*,
                           v1::CountByFlagResponse* response) override {
    Record(context, "CountByFlag");
    std::this_thread::sleep_for(std::chrono::milliseconds(sleep_ms_));
    v1::FlagCount* count = response->add_counts();
    count->set_flag(v1::FLAG_RED);
    count->set_count(12);
    return grpc::Status::OK;
  }

  void set_sleep_ms(int ms) { sleep_ms_ = ms; }
  int calls(const std::string& method) {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_[method];
  }
  Metadata last_metadata() {
    std::lock_guard<std::mutex> lock(mu_);
    return last_metadata_;
  }
  v1::SetRemarkRequest last_set() {
    std::lock_guard<std::mutex> lock(mu_);
    return last_set_;
  }

 private:
  void Record(grpc::ServerContext* context, const std::string& method) {
    std::lock_guard<std::mutex> lock(mu_);
    ++calls_[method];
    last_metadata_ = MetadataOf(context);
  }

  std::mutex mu_;
  std::map<std::string, int> calls_;
  Metadata last_metadata_;
  v1::SetRemarkRequest last_set_;
  int sleep_ms_ = 0;
};

class FakeEvents final : public v1::OrderEvents::Service {
 public:
  grpc::Status Record(grpc::ServerContext*, const v1::RecordEventRequest* request,
                      v1::RecordEventResponse* response) override {
    std::lock_guard<std::mutex> lock(mu_);
    last_ = *request;
    response->mutable_order()->set_order_id(request->event().order_id());
    response->mutable_order()->set_state(v1::ORDER_STATE_PAID);
    response->mutable_order()->set_events_applied(2);
    return grpc::Status::OK;
  }

  v1::RecordEventRequest last() {
    std::lock_guard<std::mutex> lock(mu_);
    return last_;
  }

 private:
  std::mutex mu_;
  v1::RecordEventRequest last_;
};

class FakeReminders final : public v1::Reminders::Service {
 public:
  grpc::Status GetPolicy(grpc::ServerContext*, const v1::GetReminderPolicyRequest*,
                         v1::ReminderPolicy* response) override {
    response->set_window_start("09:00");
    response->set_window_end("22:00");
    response->set_channel(v1::CHANNEL_IM);
    response->set_version(2);
    return grpc::Status::OK;
  }

  grpc::Status SetPolicy(grpc::ServerContext* context, const v1::SetReminderPolicyRequest* request,
                         v1::ReminderPolicy* response) override {
    std::lock_guard<std::mutex> lock(mu_);
    last_set_ = *request;
    last_role_ = MetadataOf(context).find("x-orderwatch-role")->second;
    if (request->policy().after_order_minutes() == 5) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          "policy.after_order_minutes: must be 0 (off) or between 10 and 2880 "
                          "minutes, not 5");
    }
    if (request->has_expected_version() && request->expected_version() != 2) {
      return grpc::Status(grpc::StatusCode::ABORTED,
                          "policy: changed meanwhile; current version is 2");
    }
    *response = request->policy();
    response->set_version(3);
    return grpc::Status::OK;
  }

  grpc::Status Trigger(grpc::ServerContext*, const v1::TriggerReminderRequest* request,
                       v1::Reminder* response) override {
    std::lock_guard<std::mutex> lock(mu_);
    last_trigger_ = *request;
    if (request->order_id() == "paid") {
      return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                          "order paid is paid: nothing to remind");
    }
    response->set_order_id(request->order_id());
    response->set_number(1);
    response->set_kind(v1::REMINDER_KIND_MANUAL);
    response->set_channel(request->channel() == v1::CHANNEL_UNSPECIFIED ? v1::CHANNEL_IM
                                                                        : request->channel());
    response->set_outcome(v1::REMINDER_OUTCOME_SENT);
    response->set_agent_id("alice");
    response->set_idempotency_key("shop1:" + request->order_id() + ":1");
    return grpc::Status::OK;
  }

  grpc::Status ListForOrder(grpc::ServerContext*, const v1::ListRemindersRequest* request,
                            v1::ListRemindersResponse* response) override {
    for (int n = 2; n >= 1; --n) {
      v1::Reminder* r = response->add_reminders();
      r->set_order_id(request->order_id());
      r->set_number(n);
      r->set_kind(n == 2 ? v1::REMINDER_KIND_MANUAL : v1::REMINDER_KIND_AFTER_ORDER);
      r->set_channel(v1::CHANNEL_IM);
      r->set_outcome(v1::REMINDER_OUTCOME_SENT);
      if (n == 2) r->set_agent_id("alice");
    }
    return grpc::Status::OK;
  }

  v1::SetReminderPolicyRequest last_set() {
    std::lock_guard<std::mutex> lock(mu_);
    return last_set_;
  }
  std::string last_role() {
    std::lock_guard<std::mutex> lock(mu_);
    return last_role_;
  }
  v1::TriggerReminderRequest last_trigger() {
    std::lock_guard<std::mutex> lock(mu_);
    return last_trigger_;
  }

 private:
  std::mutex mu_;
  v1::SetReminderPolicyRequest last_set_;
  std::string last_role_;
  v1::TriggerReminderRequest last_trigger_;
};

class RunTest : public testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(&remarks_);
    builder.RegisterService(&events_);
    builder.RegisterService(&reminders_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    ASSERT_GT(port_, 0);
  }

  void TearDown() override {
    if (server_) server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  }

  std::string Addr() const { return "127.0.0.1:" + std::to_string(port_); }

  // Runs the CLI with --addr pointing at the fake server and no environment.
  int RunCli(std::vector<std::string> args) {
    args.insert(args.begin(), {"--addr", Addr()});
    out_.str("");
    err_.str("");
    return cli::Run(args, nullptr, out_, err_);
  }

  FakeRemarks remarks_;
  FakeEvents events_;
  FakeReminders reminders_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(RunTest, GetSendsDevelopmentIdentity) {
  EXPECT_EQ(RunCli({"remark", "get", "1001", "--shop", "shop1", "--agent", "alice"}), 0)
      << err_.str();
  EXPECT_EQ(out_.str(), "order 1001  flag red  version 3\nmemo: 已催付\n");
  EXPECT_EQ(err_.str(), "");
  const Metadata md = remarks_.last_metadata();
  EXPECT_EQ(md.count("x-orderwatch-shop"), 1u);
  EXPECT_EQ(md.find("x-orderwatch-shop")->second, "shop1");
  EXPECT_EQ(md.find("x-orderwatch-agent")->second, "alice");
  EXPECT_EQ(md.find("x-orderwatch-role")->second, "agent");
  EXPECT_EQ(md.count("authorization"), 0u);
}

TEST_F(RunTest, TokenReplacesIdentityHeaders) {
  EXPECT_EQ(RunCli({"--token", "s3cret", "remark", "get", "1", "--shop", "shop1"}), 0);
  const Metadata md = remarks_.last_metadata();
  ASSERT_EQ(md.count("authorization"), 1u);
  EXPECT_EQ(md.find("authorization")->second, "Bearer s3cret");
  EXPECT_EQ(md.count("x-orderwatch-shop"), 0u);
  EXPECT_EQ(md.count("x-orderwatch-role"), 0u);
}

TEST_F(RunTest, NonAsciiIdentityIsAUsageError) {
  EXPECT_EQ(RunCli({"remark", "get", "1", "--agent", "小王"}), 2);
  EXPECT_NE(err_.str().find("--agent"), std::string::npos) << err_.str();
  EXPECT_EQ(remarks_.calls("Get"), 0);
}

TEST_F(RunTest, SeveralIdsUseBatchGet) {
  EXPECT_EQ(RunCli({"remark", "get", "1", "2", "3"}), 0);
  EXPECT_EQ(remarks_.calls("BatchGet"), 1);
  EXPECT_EQ(remarks_.calls("Get"), 0);
  EXPECT_NE(out_.str().find("order 3  flag none  version 0"), std::string::npos) << out_.str();
}

TEST_F(RunTest, JsonOutput) {
  EXPECT_EQ(RunCli({"remark", "get", "1001", "--json"}), 0);
  EXPECT_EQ(out_.str().rfind("{\n", 0), 0u) << out_.str();
  EXPECT_EQ(out_.str().substr(out_.str().size() - 2), "}\n") << out_.str();
  EXPECT_NE(out_.str().find("\"order_id\": \"1001\""), std::string::npos) << out_.str();
  EXPECT_NE(out_.str().find("\"flag\": \"FLAG_RED\""), std::string::npos) << out_.str();
  EXPECT_NE(out_.str().find("\"updated_by\": \"\""), std::string::npos) << out_.str();
}

TEST_F(RunTest, NotFoundExits3) {
  EXPECT_EQ(RunCli({"remark", "get", "missing"}), 3);
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(err_.str(), "orderwatch: NOT_FOUND: no order missing\n");
}

TEST_F(RunTest, UnauthenticatedExits6) {
  EXPECT_EQ(RunCli({"remark", "get", "denied"}), 6);
  EXPECT_EQ(err_.str().rfind("orderwatch: UNAUTHENTICATED: no identity\n", 0), 0u) << err_.str();
}

TEST_F(RunTest, SetSendsRequestAndPrintsRemark) {
  EXPECT_EQ(RunCli({"remark", "set", "1001", "--version", "3", "--flag", "purple", "--text",
                    "已催付 alice/2026-11-11", "--request-id", "req-1"}),
            0)
      << err_.str();
  const v1::SetRemarkRequest sent = remarks_.last_set();
  EXPECT_EQ(sent.request_id(), "req-1");
  EXPECT_EQ(sent.flag(), v1::FLAG_PURPLE);
  EXPECT_EQ(sent.text(), "已催付 alice/2026-11-11");
  EXPECT_EQ(out_.str().rfind("order 1001  flag purple  version 4", 0), 0u) << out_.str();
}

TEST_F(RunTest, StaleVersionExits4WithHint) {
  EXPECT_EQ(RunCli({"remark", "set", "1001", "--version", "2", "--flag", "red"}), 4);
  EXPECT_NE(err_.str().find("orderwatch: ABORTED: expected_version: the remark is at 3\n"),
            std::string::npos)
      << err_.str();
  EXPECT_NE(err_.str().find("orderwatch remark get 1001"), std::string::npos) << err_.str();
}

TEST_F(RunTest, UsageErrorDoesNotCallTheServer) {
  EXPECT_EQ(RunCli({"remark", "set", "1001", "--flag", "red"}), 2);
  EXPECT_EQ(remarks_.calls("Set"), 0);
  EXPECT_NE(err_.str().find("missing --version"), std::string::npos) << err_.str();
  EXPECT_NE(err_.str().find("orderwatch remark set --help"), std::string::npos) << err_.str();
}

TEST_F(RunTest, HistoryAllFollowsPages) {
  EXPECT_EQ(RunCli({"remark", "history", "1001", "--all"}), 0) << err_.str();
  EXPECT_EQ(remarks_.calls("History"), 3);
  const std::string out = out_.str();
  const size_t v3 = out.find("v3  ");
  const size_t v2 = out.find("v2  ");
  const size_t v1 = out.find("v1  ");
  ASSERT_NE(v1, std::string::npos) << out;
  EXPECT_LT(v3, v2);
  EXPECT_LT(v2, v1);
  EXPECT_EQ(out.find("more:"), std::string::npos) << out;
}

TEST_F(RunTest, HistoryOnePageShowsNextToken) {
  EXPECT_EQ(RunCli({"remark", "history", "1001"}), 0);
  EXPECT_EQ(remarks_.calls("History"), 1);
  EXPECT_NE(out_.str().find("more: --page-token p2\n"), std::string::npos) << out_.str();
}

TEST_F(RunTest, Counts) {
  EXPECT_EQ(RunCli({"remark", "counts"}), 0);
  EXPECT_EQ(out_.str(), "red 12\n");
}

TEST_F(RunTest, DeadlineExceededExits5) {
  remarks_.set_sleep_ms(1000);
  EXPECT_EQ(RunCli({"remark", "counts", "--timeout", "0.1"}), 5);
  EXPECT_NE(err_.str().find("orderwatch: DEADLINE_EXCEEDED: "), std::string::npos) << err_.str();
  EXPECT_NE(err_.str().find("is orderwatch-server running at " + Addr() + "?"), std::string::npos)
      << err_.str();
}

TEST_F(RunTest, UnimplementedExits1) {
  EXPECT_EQ(RunCli({"remark", "legend"}), 1);
  EXPECT_EQ(err_.str().rfind("orderwatch: UNIMPLEMENTED: ", 0), 0u) << err_.str();
}

TEST_F(RunTest, RecordEvent) {
  EXPECT_EQ(RunCli({"event", "record", "1001", "--type", "paid", "--event-id", "ev-1", "--at",
                    "1794326400000"}),
            0)
      << err_.str();
  const v1::RecordEventRequest sent = events_.last();
  EXPECT_EQ(sent.event().event_id(), "ev-1");
  EXPECT_EQ(sent.event().order_id(), "1001");
  EXPECT_EQ(sent.event().event_unix_ms(), 1794326400000);
  EXPECT_TRUE(sent.event().has_paid());
  EXPECT_EQ(out_.str(), "event ev-1 recorded\norder 1001  state paid\nevents applied: 2\n");
}

TEST_F(RunTest, RemindSendsChannelAndPrintsReminder) {
  EXPECT_EQ(RunCli({"remind", "A1", "--channel", "sms", "--request-id", "req-9"}), 0) << err_.str();
  const v1::TriggerReminderRequest sent = reminders_.last_trigger();
  EXPECT_EQ(sent.order_id(), "A1");
  EXPECT_EQ(sent.channel(), v1::CHANNEL_SMS);
  EXPECT_EQ(sent.request_id(), "req-9");
  EXPECT_EQ(out_.str(),
            "reminder 1 of order A1: sent by sms (manual, alice) key shop1:A1:1\ntime: -\n");
  EXPECT_EQ(RunCli({"remind", "A1", "--json"}), 0) << err_.str();
  EXPECT_NE(out_.str().find("\"kind\": \"REMINDER_KIND_MANUAL\""), std::string::npos) << out_.str();
  EXPECT_NE(out_.str().find("\"idempotency_key\": \"shop1:A1:1\""), std::string::npos)
      << out_.str();
}

TEST_F(RunTest, RemindOfPaidOrderExits4WithHint) {
  EXPECT_EQ(RunCli({"remind", "paid"}), 4);
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(err_.str().rfind("orderwatch: FAILED_PRECONDITION: order paid is paid: nothing to "
                             "remind\nhint: nothing was sent.",
                             0),
            0u)
      << err_.str();
  EXPECT_NE(err_.str().find("--override REASON"), std::string::npos) << err_.str();
}

TEST_F(RunTest, RemindersListNewestFirst) {
  EXPECT_EQ(RunCli({"reminders", "A1"}), 0) << err_.str();
  EXPECT_EQ(out_.str(),
            "#  KIND         CHANNEL  OUTCOME  BY     TIME  REASON\n"
            "2  manual       im       sent     alice  -\n"
            "1  after-order  im       sent     auto   -\n");
}

TEST_F(RunTest, PolicyGet) {
  EXPECT_EQ(RunCli({"policy", "get"}), 0) << err_.str();
  EXPECT_NE(out_.str().find("\nwindow_start: 09:00\nwindow_end: 22:00\n"), std::string::npos)
      << out_.str();
  EXPECT_NE(out_.str().find("\nversion: 2\n"), std::string::npos) << out_.str();
  EXPECT_EQ(RunCli({"policy", "get", "--json"}), 0) << err_.str();
  EXPECT_NE(out_.str().find("\"window_start\": \"09:00\""), std::string::npos) << out_.str();
}

class PolicySetTest : public RunTest {
 protected:
  void SetUp() override {
    RunTest::SetUp();
    path_ =
        ::testing::TempDir() + "/orderwatch_run_test_policy_" + std::to_string(getpid()) + ".json";
  }
  void TearDown() override {
    std::remove(path_.c_str());
    RunTest::TearDown();
  }
  void Write(const std::string& json) {
    std::ofstream out(path_, std::ios::binary | std::ios::trunc);
    out << json;
  }
  std::string path_;
};

TEST_F(PolicySetTest, SendsTheFileAndPrintsThePolicy) {
  Write(R"({"window_start": "00:00", "window_end": "00:00", "channel": "CHANNEL_SMS"})");
  EXPECT_EQ(
      RunCli({"policy", "set", "--file", path_, "--expected-version", "2", "--role", "supervisor"}),
      0)
      << err_.str();
  const v1::SetReminderPolicyRequest sent = reminders_.last_set();
  EXPECT_EQ(reminders_.last_role(), "supervisor");
  EXPECT_EQ(sent.expected_version(), 2);
  EXPECT_EQ(sent.policy().window_start(), "00:00");
  EXPECT_EQ(sent.policy().channel(), v1::CHANNEL_SMS);
  EXPECT_NE(out_.str().find("\nwindow_end: 00:00 (same as window_start: any hour)\n"),
            std::string::npos)
      << out_.str();
  EXPECT_NE(out_.str().find("\nversion: 3\n"), std::string::npos) << out_.str();
}

TEST_F(PolicySetTest, ServerErrorsAsTheyCome) {
  Write(R"({"after_order_minutes": 5})");
  EXPECT_EQ(RunCli({"policy", "set", "--file", path_}), 1);
  EXPECT_EQ(err_.str(),
            "orderwatch: INVALID_ARGUMENT: policy.after_order_minutes: must be 0 (off) or between "
            "10 and 2880 minutes, not 5\n");

  Write(R"({"after_order_minutes": 30})");
  EXPECT_EQ(RunCli({"policy", "set", "--file", path_, "--expected-version", "1"}), 4);
  EXPECT_NE(err_.str().find("orderwatch: ABORTED: policy: changed meanwhile"), std::string::npos)
      << err_.str();
  EXPECT_NE(err_.str().find("orderwatch policy get"), std::string::npos) << err_.str();
  EXPECT_EQ(err_.str().find("remark"), std::string::npos) << err_.str();
}

TEST_F(PolicySetTest, BadFileIsAUsageErrorWithoutACall) {
  Write(R"({"after_order_minutes": 30, "windw_start": "09:00"})");
  EXPECT_EQ(RunCli({"policy", "set", "--file", path_}), 2);
  EXPECT_NE(err_.str().find("windw_start"), std::string::npos) << err_.str();
  EXPECT_NE(err_.str().find("orderwatch policy set --help"), std::string::npos) << err_.str();
  EXPECT_EQ(reminders_.last_set().ByteSizeLong(), 0u);
}

TEST(RunNoServer, UnavailableExits5) {
  std::ostringstream out, err;
  // Port 1 on loopback: nothing listens there, the connection is refused at once.
  EXPECT_EQ(cli::Run({"remark", "get", "1", "--addr", "127.0.0.1:1", "--timeout", "3"}, nullptr,
                     out, err),
            5);
  EXPECT_NE(err.str().find("orderwatch: UNAVAILABLE: "), std::string::npos) << err.str();
  EXPECT_NE(err.str().find("is orderwatch-server running at 127.0.0.1:1?"), std::string::npos)
      << err.str();
}

TEST(RunNoServer, UsageAndHelp) {
  std::ostringstream out, err;
  EXPECT_EQ(cli::Run({}, nullptr, out, err), 2);
  EXPECT_EQ(out.str(), "");
  EXPECT_NE(err.str().find("Usage: orderwatch"), std::string::npos);

  std::ostringstream help_out, help_err;
  EXPECT_EQ(cli::Run({"--help"}, nullptr, help_out, help_err), 0);
  EXPECT_NE(help_out.str().find("Exit codes"), std::string::npos);
  EXPECT_NE(help_out.str().find("remark legend-set"), std::string::npos);
  EXPECT_NE(help_out.str().find("\n  remind "), std::string::npos) << help_out.str();
  EXPECT_NE(help_out.str().find("\n  reminders "), std::string::npos) << help_out.str();
  EXPECT_NE(help_out.str().find("\n  policy set "), std::string::npos) << help_out.str();

  std::ostringstream group_out, group_err;
  EXPECT_EQ(cli::Run({"remark", "-h"}, nullptr, group_out, group_err), 0);
  EXPECT_NE(group_out.str().find("Examples:\n  orderwatch remark get "), std::string::npos)
      << group_out.str();

  std::ostringstream cmd_out, cmd_err;
  EXPECT_EQ(cli::Run({"event", "record", "-h"}, nullptr, cmd_out, cmd_err), 0);
  EXPECT_NE(cmd_out.str().find("--tracking-no"), std::string::npos);
  EXPECT_NE(cmd_out.str().find("Example:"), std::string::npos);

  std::ostringstream bad_out, bad_err;
  EXPECT_EQ(cli::Run({"remark", "get", "1", "--nope"}, nullptr, bad_out, bad_err), 2);
  EXPECT_EQ(bad_err.str(),
            "orderwatch: unknown option --nope\nRun \"orderwatch remark get --help\" for usage.\n");
}

TEST(RunNoServer, EveryCommandHasHelpWithExample) {
  for (const std::string topic :
       {"remark get", "remark set", "remark append", "remark clear", "remark history",
        "remark list", "remark counts", "remark legend", "remark legend-set", "event record",
        "event get", "remind", "reminders", "policy get", "policy set"}) {
    std::vector<std::string> args;
    std::istringstream words(topic);
    for (std::string w; words >> w;) args.push_back(w);
    args.push_back("--help");
    std::ostringstream out, err;
    EXPECT_EQ(cli::Run(args, nullptr, out, err), 0) << topic;
    EXPECT_EQ(out.str().rfind("Usage: orderwatch " + topic, 0), 0u) << topic;
    EXPECT_NE(out.str().find("Example:\n  orderwatch " + topic), std::string::npos) << topic;
  }
}

}  // namespace
}  // namespace orderwatch::cli
