// Remarks through a real server and Redis: CAS, idempotent retries, history, lists, legend.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "tests/support/test_server.h"

namespace orderwatch {
namespace {

using testing::Caller;
using testing::RedisServer;
using testing::TestServer;

class RemarksE2ETest : public testing::ServerSuite {
 protected:
  static std::string NextRequestId() {
    static std::atomic<int> n{0};
    return absl::StrCat("req-", n.fetch_add(1));
  }

  static grpc::Status Set(const std::string& order, int64_t expected, v1::Flag flag,
                          const std::string& text, v1::Remark* out, const Caller& who = {},
                          std::string request_id = "") {
    v1::SetRemarkRequest req;
    req.set_request_id(request_id.empty() ? NextRequestId() : request_id);
    req.set_order_id(order);
    req.set_expected_version(expected);
    req.set_flag(flag);
    req.set_text(text);
    return server_->remarks()->Set(TestServer::Context(who).get(), req, out);
  }

  static v1::Remark Get(const std::string& order, const Caller& who = {}) {
    v1::GetRemarkRequest req;
    req.set_order_id(order);
    v1::Remark out;
    EXPECT_TRUE(server_->remarks()->Get(TestServer::Context(who).get(), req, &out).ok());
    return out;
  }
};

TEST_F(RemarksE2ETest, SetGetAndVersionCompareAndSet) {
  EXPECT_EQ(Get("R1").version(), 0);
  v1::Remark r;
  ASSERT_TRUE(Set("R1", 0, v1::FLAG_RED, "顺丰发货", &r).ok());
  EXPECT_EQ(r.version(), 1);
  EXPECT_EQ(r.flag(), v1::FLAG_RED);
  EXPECT_EQ(r.updated_by(), "alice");
  EXPECT_EQ(r.updated_source(), v1::SOURCE_AGENT);

  const v1::Remark got = Get("R1");
  EXPECT_EQ(got.text(), "顺丰发货");
  EXPECT_EQ(got.version(), 1);

  // A stale version is refused with the current one, and nothing changes.
  auto stale = Set("R1", 0, v1::FLAG_GREEN, "overwrite", &r);
  EXPECT_EQ(stale.error_code(), grpc::StatusCode::ABORTED);
  EXPECT_NE(stale.error_message().find("version 1"), std::string::npos);
  EXPECT_EQ(Get("R1").text(), "顺丰发货");

  // Storefront writes are recorded as such.
  ASSERT_TRUE(Set("R1", 1, v1::FLAG_YELLOW, "改价", &r, Caller{"shop1", "web", "storefront"}).ok());
  EXPECT_EQ(r.updated_source(), v1::SOURCE_STOREFRONT);
}

TEST_F(RemarksE2ETest, ConcurrentWritersNeverSilentlyOverwrite) {
  constexpr int kWriters = 8, kRounds = 10;
  std::atomic<int> won{0}, aborted{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      const Caller who{"shop1", absl::StrCat("agent", w), "agent"};
      for (int i = 0; i < kRounds; ++i) {
        const int64_t v = Get("CAS1", who).version();
        v1::Remark r;
        auto s = Set("CAS1", v, v1::FLAG_BLUE, absl::StrCat("w", w, " r", i), &r, who);
        if (s.ok())
          won++;
        else if (s.error_code() == grpc::StatusCode::ABORTED)
          aborted++;
        else
          ADD_FAILURE() << s.error_message();
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(won + aborted, kWriters * kRounds);
  EXPECT_GT(aborted.load(), 0);
  // Every success is one version and one history entry; each saw the text it replaced.
  EXPECT_EQ(Get("CAS1").version(), won.load());
  v1::RemarkHistoryRequest h;
  h.set_order_id("CAS1");
  h.set_page_size(200);
  v1::RemarkHistoryResponse history;
  ASSERT_TRUE(server_->remarks()->History(TestServer::Context().get(), h, &history).ok());
  ASSERT_EQ(history.changes_size(), won.load());
  for (int i = 0; i + 1 < history.changes_size(); ++i) {
    EXPECT_EQ(history.changes(i).text_before(), history.changes(i + 1).text_after());
    EXPECT_EQ(history.changes(i).version(), history.changes(i + 1).version() + 1);
  }
}

TEST_F(RemarksE2ETest, RetryWithTheSameRequestIdReturnsTheFirstResult) {
  v1::Remark first, retry;
  ASSERT_TRUE(Set("IDEM1", 0, v1::FLAG_PURPLE, "first", &first, {}, "same-id").ok());
  // The retry carries the same id; even a stale version returns the first result.
  ASSERT_TRUE(Set("IDEM1", 0, v1::FLAG_PURPLE, "first", &retry, {}, "same-id").ok());
  EXPECT_EQ(retry.version(), first.version());
  EXPECT_EQ(retry.updated_unix_ms(), first.updated_unix_ms());
  EXPECT_EQ(Get("IDEM1").version(), 1);
  v1::RemarkHistoryRequest h;
  h.set_order_id("IDEM1");
  v1::RemarkHistoryResponse history;
  ASSERT_TRUE(server_->remarks()->History(TestServer::Context().get(), h, &history).ok());
  EXPECT_EQ(history.changes_size(), 1);
}

TEST_F(RemarksE2ETest, AppendWritesReasonAgentDate) {
  v1::AppendRemarkRequest a;
  a.set_request_id(NextRequestId());
  a.set_order_id("APP1");
  a.set_reason("已催付");
  a.set_flag(v1::FLAG_PURPLE);
  v1::Remark r;
  ASSERT_TRUE(server_->remarks()->Append(TestServer::Context().get(), a, &r).ok());
  absl::TimeZone shanghai;
  ASSERT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &shanghai));
  const std::string today = absl::FormatTime("%Y-%m-%d", absl::Now(), shanghai);
  EXPECT_EQ(r.text(), absl::StrCat("已催付 alice/", today));
  EXPECT_EQ(r.flag(), v1::FLAG_PURPLE);

  a.set_request_id(NextRequestId());
  a.set_reason("买家约定今晚付款");
  a.clear_flag();
  ASSERT_TRUE(server_->remarks()
                  ->Append(TestServer::Context(Caller{"shop1", "bob", "agent"}).get(), a, &r)
                  .ok());
  EXPECT_EQ(r.text(), absl::StrCat("已催付 alice/", today, "\n买家约定今晚付款 bob/", today));
  EXPECT_EQ(r.flag(), v1::FLAG_PURPLE);  // kept
  EXPECT_EQ(r.version(), 2);

  // Appending past 1000 bytes is refused and leaves the memo as it was.
  v1::Remark big;
  ASSERT_TRUE(Set("APP2", 0, v1::FLAG_NONE, std::string(990, 'x'), &big).ok());
  a.set_order_id("APP2");
  a.set_request_id(NextRequestId());
  auto s = server_->remarks()->Append(TestServer::Context().get(), a, &r);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Get("APP2").version(), 1);
}

TEST_F(RemarksE2ETest, ClearEmptiesFlagAndText) {
  v1::Remark r;
  ASSERT_TRUE(Set("CLR1", 0, v1::FLAG_GREEN, "可退款", &r).ok());
  v1::ClearRemarkRequest c;
  c.set_request_id(NextRequestId());
  c.set_order_id("CLR1");
  c.set_expected_version(1);
  ASSERT_TRUE(server_->remarks()->Clear(TestServer::Context().get(), c, &r).ok());
  EXPECT_EQ(r.flag(), v1::FLAG_NONE);
  EXPECT_EQ(r.text(), "");
  EXPECT_EQ(r.version(), 2);
}

TEST_F(RemarksE2ETest, BadInputIsInvalidArgumentNamingTheField) {
  v1::Remark r;
  auto expect_invalid = [](const grpc::Status& s, const std::string& field) {
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
    EXPECT_EQ(s.error_message().substr(0, field.size() + 1), absl::StrCat(field, ":"))
        << s.error_message();
  };
  expect_invalid(Set("BAD1", 0, static_cast<v1::Flag>(7), "", &r), "flag");
  // Invalid UTF-8 in a string field is refused by protobuf itself, before any handler runs; the
  // answer names the field all the same.
  expect_invalid(Set("BAD1", 0, v1::FLAG_RED, "\xff\xfe", &r), "text");
  expect_invalid(Set("BAD1", 0, v1::FLAG_RED, "a\x01b", &r), "text");
  expect_invalid(Set("BAD1", 0, v1::FLAG_RED, std::string(1001, 'a'), &r), "text");
  expect_invalid(Set("BAD 1", 0, v1::FLAG_RED, "", &r), "order_id");
  expect_invalid(Set("BAD1", -1, v1::FLAG_RED, "", &r), "expected_version");
  v1::SetRemarkRequest no_version;
  no_version.set_request_id("x1");
  no_version.set_order_id("BAD1");
  expect_invalid(server_->remarks()->Set(TestServer::Context().get(), no_version, &r),
                 "expected_version");
  v1::SetRemarkRequest no_request_id;
  no_request_id.set_order_id("BAD1");
  no_request_id.set_expected_version(0);
  expect_invalid(server_->remarks()->Set(TestServer::Context().get(), no_request_id, &r),
                 "request_id");
  EXPECT_EQ(Get("BAD1").version(), 0);  // nothing was written
}

TEST_F(RemarksE2ETest, PlatformNumberingsAtTheEdge) {
  v1::SetRemarkRequest req;
  req.set_request_id(NextRequestId());
  req.set_order_id("PF1");
  req.set_expected_version(0);
  req.mutable_platform_flag()->set_platform(v1::PLATFORM_DOUYIN);
  req.mutable_platform_flag()->set_value(5);  // Douyin red
  v1::Remark r;
  ASSERT_TRUE(server_->remarks()->Set(TestServer::Context().get(), req, &r).ok());
  EXPECT_EQ(r.flag(), v1::FLAG_RED);
  v1::GetRemarkRequest get;
  get.set_order_id("PF1");
  get.set_numbering(v1::PLATFORM_XIAOHONGSHU);
  ASSERT_TRUE(server_->remarks()->Get(TestServer::Context().get(), get, &r).ok());
  EXPECT_EQ(r.platform_flag().value(), 2);  // Xiaohongshu red
  req.set_request_id(NextRequestId());
  req.set_expected_version(1);
  req.mutable_platform_flag()->set_platform(v1::PLATFORM_XIAOHONGSHU);
  req.mutable_platform_flag()->set_value(0);
  auto s = server_->remarks()->Set(TestServer::Context().get(), req, &r);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().substr(0, 20), "platform_flag.value:");
}

TEST_F(RemarksE2ETest, HistoryIsNewestFirstAndPaginated) {
  v1::Remark r;
  for (int i = 0; i < 25; ++i) {
    ASSERT_TRUE(Set("HIS1", i, static_cast<v1::Flag>(i % 6), absl::StrCat("t", i), &r).ok());
  }
  v1::RemarkHistoryRequest h;
  h.set_order_id("HIS1");
  v1::RemarkHistoryResponse page1, page2;
  ASSERT_TRUE(server_->remarks()->History(TestServer::Context().get(), h, &page1).ok());
  ASSERT_EQ(page1.changes_size(), 20);
  EXPECT_EQ(page1.changes(0).version(), 25);
  EXPECT_EQ(page1.changes(0).text_after(), "t24");
  EXPECT_EQ(page1.changes(0).text_before(), "t23");
  EXPECT_EQ(page1.changes(0).by(), "alice");
  EXPECT_EQ(page1.changes(0).op(), "set");
  ASSERT_FALSE(page1.next_page_token().empty());

  // New changes between pages do not shift the next page.
  ASSERT_TRUE(Set("HIS1", 25, v1::FLAG_RED, "t25", &r).ok());
  h.set_page_token(page1.next_page_token());
  ASSERT_TRUE(server_->remarks()->History(TestServer::Context().get(), h, &page2).ok());
  ASSERT_EQ(page2.changes_size(), 5);
  EXPECT_EQ(page2.changes(0).version(), 5);
  EXPECT_EQ(page2.changes(4).version(), 1);
  EXPECT_EQ(page2.changes(4).text_before(), "");
  EXPECT_TRUE(page2.next_page_token().empty());

  h.set_page_token("not-a-token");
  EXPECT_EQ(server_->remarks()->History(TestServer::Context().get(), h, &page2).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(RemarksE2ETest, ListByFlagIsStableUnderConcurrentWritesAndCountsMatch) {
  const Caller shop{"shopL", "alice", "agent"};
  v1::Remark r;
  for (int i = 0; i < 40; ++i) {
    ASSERT_TRUE(Set(absl::StrCat("L", i), 0, v1::FLAG_RED, "", &r, shop).ok());
  }
  for (int i = 0; i < 6; ++i) {
    ASSERT_TRUE(Set(absl::StrCat("Y", i), 0, v1::FLAG_YELLOW, "", &r, shop).ok());
  }
  // Page through red 7 at a time while other orders keep turning red.
  std::set<std::string> seen;
  std::string token;
  int pages = 0, extra = 0;
  do {
    v1::ListByFlagRequest req;
    req.set_flag(v1::FLAG_RED);
    req.set_page_size(7);
    req.set_page_token(token);
    v1::ListByFlagResponse page;
    ASSERT_TRUE(server_->remarks()->ListByFlag(TestServer::Context(shop).get(), req, &page).ok());
    for (const auto& remark : page.remarks()) {
      EXPECT_EQ(remark.flag(), v1::FLAG_RED);
      EXPECT_TRUE(seen.insert(remark.order_id()).second) << "twice: " << remark.order_id();
    }
    token = page.next_page_token();
    ASSERT_TRUE(Set(absl::StrCat("NEW", extra++), 0, v1::FLAG_RED, "", &r, shop).ok());
    ++pages;
  } while (!token.empty() && pages < 50);
  for (int i = 0; i < 40; ++i) EXPECT_EQ(seen.count(absl::StrCat("L", i)), 1u) << i;

  v1::CountByFlagResponse counts;
  ASSERT_TRUE(server_->remarks()->CountByFlag(TestServer::Context(shop).get(), {}, &counts).ok());
  ASSERT_EQ(counts.counts_size(), 5);
  EXPECT_EQ(counts.counts(0).flag(), v1::FLAG_RED);
  EXPECT_EQ(counts.counts(0).count(), 40 + extra);
  EXPECT_EQ(counts.counts(1).count(), 6);

  // Re-flagging moves an order between lists.
  ASSERT_TRUE(Set("Y0", 1, v1::FLAG_GREEN, "", &r, shop).ok());
  ASSERT_TRUE(server_->remarks()->CountByFlag(TestServer::Context(shop).get(), {}, &counts).ok());
  EXPECT_EQ(counts.counts(1).count(), 5);
  EXPECT_EQ(counts.counts(2).count(), 1);
  // Another shop sees none of it.
  ASSERT_TRUE(
      server_->remarks()
          ->CountByFlag(TestServer::Context(Caller{"shopM", "a", "agent"}).get(), {}, &counts)
          .ok());
  EXPECT_EQ(counts.counts(0).count(), 0);
}

TEST_F(RemarksE2ETest, BatchGetUpTo500InOrder) {
  v1::Remark r;
  ASSERT_TRUE(Set("BG7", 0, v1::FLAG_BLUE, "售后换货", &r).ok());
  v1::BatchGetRemarksRequest req;
  for (int i = 0; i < 500; ++i) req.add_order_ids(absl::StrCat("BG", i));
  v1::BatchGetRemarksResponse resp;
  ASSERT_TRUE(server_->remarks()->BatchGet(TestServer::Context().get(), req, &resp).ok());
  ASSERT_EQ(resp.remarks_size(), 500);
  EXPECT_EQ(resp.remarks(7).order_id(), "BG7");
  EXPECT_EQ(resp.remarks(7).text(), "售后换货");
  EXPECT_EQ(resp.remarks(8).version(), 0);
  req.add_order_ids("BG500");
  auto s = server_->remarks()->BatchGet(TestServer::Context().get(), req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().substr(0, 10), "order_ids:");
}

TEST_F(RemarksE2ETest, LegendDefaultsAndOnlySupervisorsChangeIt) {
  const Caller agent{"shopG", "alice", "agent"}, boss{"shopG", "carol", "supervisor"};
  v1::Legend legend;
  ASSERT_TRUE(server_->remarks()->GetLegend(TestServer::Context(agent).get(), {}, &legend).ok());
  EXPECT_TRUE(legend.is_default());
  ASSERT_EQ(legend.entries_size(), 5);
  EXPECT_NE(legend.entries(1).meaning().find("改价"), std::string::npos);  // yellow

  v1::SetLegendRequest set;
  set.set_request_id("legend-1");
  auto* e = set.add_entries();
  e->set_flag(v1::FLAG_RED);
  e->set_meaning("指定顺丰");
  EXPECT_EQ(
      server_->remarks()->SetLegend(TestServer::Context(agent).get(), set, &legend).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(server_->remarks()->SetLegend(TestServer::Context(boss).get(), set, &legend).ok());
  EXPECT_FALSE(legend.is_default());
  EXPECT_EQ(legend.entries(0).meaning(), "指定顺丰");
  EXPECT_NE(legend.entries(1).meaning().find("改价"), std::string::npos);  // others keep theirs

  // A retry of the same request returns the first result even after a later change.
  v1::SetLegendRequest later = set;
  later.set_request_id("legend-2");
  later.mutable_entries(0)->set_meaning("指定京东");
  ASSERT_TRUE(server_->remarks()->SetLegend(TestServer::Context(boss).get(), later, &legend).ok());
  ASSERT_TRUE(server_->remarks()->SetLegend(TestServer::Context(boss).get(), set, &legend).ok());
  EXPECT_EQ(legend.entries(0).meaning(), "指定顺丰");
  ASSERT_TRUE(server_->remarks()->GetLegend(TestServer::Context(agent).get(), {}, &legend).ok());
  EXPECT_EQ(legend.entries(0).meaning(), "指定京东");
}

}  // namespace
}  // namespace orderwatch

namespace orderwatch {
namespace {

// With one partition every flagged order sits in the same index: pages must still continue.
TEST(RemarksListTest, PagesContinueWhenOnePartitionHoldsTheRest) {
  testing::RedisServer redis;
  auto config = testing::TestServer::DevConfig();
  config.partitions = 1;
  testing::TestServer server(redis, config);
  auto stub = server.remarks();
  for (int i = 0; i < 5; ++i) {
    v1::SetRemarkRequest set;
    set.set_request_id(absl::StrCat("one-", i));
    set.set_order_id(absl::StrCat("O", i));
    set.set_expected_version(0);
    set.set_flag(v1::FLAG_RED);
    v1::Remark r;
    ASSERT_TRUE(stub->Set(testing::TestServer::Context().get(), set, &r).ok());
  }
  std::set<std::string> seen;
  std::string token;
  int pages = 0;
  do {
    v1::ListByFlagRequest req;
    req.set_flag(v1::FLAG_RED);
    req.set_page_size(2);
    req.set_page_token(token);
    v1::ListByFlagResponse page;
    ASSERT_TRUE(stub->ListByFlag(testing::TestServer::Context().get(), req, &page).ok());
    for (const auto& remark : page.remarks()) seen.insert(remark.order_id());
    token = page.next_page_token();
  } while (!token.empty() && ++pages < 10);
  EXPECT_EQ(seen.size(), 5u);
}

}  // namespace
}  // namespace orderwatch
