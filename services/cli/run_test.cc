// Runs the CLI against an in-process fake orderwatch server.
#include "services/cli/run.h"

#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>

#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "orderwatch/v1/order_events.grpc.pb.h"
#include "orderwatch/v1/remarks.grpc.pb.h"

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

class RunTest : public testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(&remarks_);
    builder.RegisterService(&events_);
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
  for (const std::string topic : {"remark get", "remark set", "remark append", "remark clear",
                                  "remark history", "remark list", "remark counts", "remark legend",
                                  "remark legend-set", "event record", "event get"}) {
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
