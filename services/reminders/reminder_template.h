// Reminder templates (话术): text with placeholders that a shop sets per channel, the check that a
// template can always be sent on its channel, how a template is filled in, and the defaults.
//
// Placeholders, and the longest each renders to (longer values are cut on a character boundary
// and end in "…", so these bounds always hold):
//   {shop_name}     20 characters, 60 bytes
//   {buyer_nick}    20 characters, 60 bytes
//   {order_id}      64 characters, 64 bytes (ids are ASCII, at most 64)
//   {amount}        16 characters, 17 bytes: "¥12.30"; numbers are never cut, 16 characters
//                   holds any amount up to ¥999999999999.99 (recorded orders hold at most
//                   ¥100000000.00)
//   {items}         40 characters, 120 bytes: the order's item summary (stored up to 256 bytes)
//   {pay_deadline}  11 characters, 11 bytes: "MM-DD HH:MM" in the shop's zone, "" when unknown
//                   (reminders only)
//   {ship_date}     11 characters, 11 bytes: when the order is expected to ship, "MM-DD HH:MM"
//                   (shipment notices only)
// "{{" and "}}" stand for literal braces. "Characters" are counted as SMS counts them: UTF-16
// code units, so a character outside the Basic Multilingual Plane (most emoji) counts as two.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "orderwatch/v1/reminders.pb.h"

namespace orderwatch::reminders {

// A template as stored, before rendering.
inline constexpr size_t kMaxTemplateBytes = 1000;
// An IM (千牛/旺旺) message, and an agent's call script (CHANNEL_PHONE), in bytes.
inline constexpr size_t kMaxImBytes = 500;
// One SMS holds 70 UCS-2 characters; a longer one is sent as parts of 67 (the rest of each part
// carries the joining header), billed per part. Reminders may take two parts.
inline constexpr size_t kSmsPartChars = 67;
inline constexpr size_t kMaxSmsParts = 2;
inline constexpr size_t kMaxSmsChars = kSmsPartChars * kMaxSmsParts;  // 134

// OK, or INVALID_ARGUMENT starting with `field`: the text is empty, longer than kMaxTemplateBytes,
// not valid UTF-8 or holds control characters (tab, CR and LF are fine), names an unknown
// placeholder (the message quotes it), has a '{' or '}' that is neither a placeholder's nor
// doubled, or could render longer than the channel allows with every placeholder at its longest
// (the message says by how much). CHANNEL_UNSPECIFIED means "any channel": the text must fit all.
// What a template is for: each use has its own time placeholder.
enum class TemplateUse { kReminder, kShipmentNotice };
absl::Status ValidateTemplate(std::string_view field, std::string_view text, v1::Channel channel,
                              TemplateUse use = TemplateUse::kReminder);

struct TemplateValues {
  std::string shop_name;
  std::string buyer_nick;
  std::string order_id;
  int64_t amount_fen = 0;
  std::string items;
  absl::Time pay_deadline = absl::InfinitePast();  // InfinitePast (or InfiniteFuture) = unknown
  absl::Time ship_date = absl::InfinitePast();     // likewise
  absl::TimeZone zone;                             // the policy's time zone (default UTC)
};

// The template with its placeholders filled in. Meant for validated templates: an unknown
// placeholder or a lone brace is copied as it stands. Values are inserted as they are (a value
// holding "{order_id}" stays literal text), cut to their placeholder's maximum.
std::string RenderTemplate(std::string_view text, const TemplateValues& values);

// A rendered text's size as the channels count it.
struct TextSize {
  size_t bytes = 0;
  size_t sms_chars = 0;  // UTF-16 code units
};
TextSize SizeOf(std::string_view text);

// The built-in template of a kind on a channel; peak ones for the shop's campaign period
// (based on the handbook's peak wording, 003). CHANNEL_UNSPECIFIED gives the IM text; an
// unspecified or unknown kind gives the after-order text. A call script (CHANNEL_PHONE) is the
// same at peak. Every default passes ValidateTemplate on its channel.
std::string DefaultTemplate(v1::ReminderKind kind, v1::Channel channel, bool peak);

}  // namespace orderwatch::reminders
