// Reminder and notice templates: the first byte picks the channel and the use, the rest is the
// text. A template is refused with INVALID_ARGUMENT naming the field, or, once accepted, renders
// within its channel's limits whatever the values: long ASCII, CJK or emoji, the longest amount.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "services/reminders/reminder_template.h"
#include "tests/fuzz/check.h"

using namespace orderwatch;  // NOLINT: a fuzz target's one function
using reminders::TemplateUse;

namespace {

std::string Repeat(const char* piece, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += piece;
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const auto channel = static_cast<v1::Channel>(data[0] % 4);
  const TemplateUse use = (data[0] & 4) ? TemplateUse::kShipmentNotice : TemplateUse::kReminder;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  const absl::Status s = reminders::ValidateTemplate("template.text", text, channel, use);
  if (!s.ok()) {
    FUZZ_CHECK(s.code() == absl::StatusCode::kInvalidArgument, s.ToString());
    FUZZ_CHECK(absl::StartsWith(s.message(), "template.text"), s.ToString());
    return 0;
  }
  for (const char* piece : {"W", "\xe4\xb8\xad", "\xf0\x9f\x98\x80"}) {  // W, 中, 😀
    reminders::TemplateValues v;
    v.shop_name = v.buyer_nick = v.items = Repeat(piece, 300);
    v.order_id = std::string(64, '9');
    v.amount_fen = 99'999'999'999'999;  // ¥999999999999.99
    v.pay_deadline = v.ship_date = absl::FromUnixSeconds(1'794'000'000);
    const std::string rendered = reminders::RenderTemplate(text, v);
    const reminders::TextSize got = reminders::SizeOf(rendered);
    const std::string what = absl::StrCat("channel ", channel, " piece ", piece, ": ", rendered);
    if (channel != v1::CHANNEL_SMS) FUZZ_CHECK(got.bytes <= reminders::kMaxImBytes, what);
    if (channel == v1::CHANNEL_SMS || channel == v1::CHANNEL_UNSPECIFIED) {
      FUZZ_CHECK(got.sms_chars <= reminders::kMaxSmsChars, what);
    }
  }
  return 0;
}
