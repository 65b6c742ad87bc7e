// Request building for the "remark" commands.
#include <algorithm>
#include <vector>

#include "services/cli/requests.h"
#include "services/cli/text.h"
#include "services/cli/values.h"
#include "services/common/flags.h"

namespace orderwatch::cli {
namespace {

absl::Status Usage(std::string message) { return absl::InvalidArgumentError(message); }

// Sets the request's flag_value oneof from --flag, or from --platform with --platform-flag.
template <typename Request>
absl::Status SetFlagValue(const Invocation& inv, bool required, Request* request) {
  const std::string* flag = inv.Find("flag");
  const std::string* platform = inv.Find("platform");
  const std::string* number = inv.Find("platform-flag");
  if (flag != nullptr && (platform != nullptr || number != nullptr)) {
    return Usage("give either --flag or --platform with --platform-flag, not both");
  }
  if ((platform == nullptr) != (number == nullptr)) {
    return Usage("--platform and --platform-flag go together");
  }
  if (flag != nullptr) {
    absl::StatusOr<v1::Flag> f = ParseFlagOption("flag", *flag);
    if (!f.ok()) return f.status();
    request->set_flag(*f);
    return absl::OkStatus();
  }
  if (platform != nullptr) {
    absl::StatusOr<v1::Platform> p = ParsePlatformOption("platform", *platform);
    if (!p.ok()) return p.status();
    absl::StatusOr<int32_t> value = ParseInt32("platform-flag", *number);
    if (!value.ok()) return value.status();
    if (absl::StatusOr<v1::Flag> f = FlagFromPlatform(*p, *value); !f.ok()) {
      return Usage(Cat("--platform-flag: ", *number, " is not a ", *platform, " flag number"));
    }
    request->mutable_platform_flag()->set_platform(*p);
    request->mutable_platform_flag()->set_value(*value);
    return absl::OkStatus();
  }
  if (required) return Usage("missing --flag (or --platform with --platform-flag)");
  return absl::OkStatus();
}

// Sets expected_version from --version; an error when required and absent.
template <typename Request>
absl::Status SetExpectedVersion(const Invocation& inv, bool required, Request* request) {
  const std::string* version = inv.Find("version");
  if (version == nullptr) {
    if (required) return Usage("missing --version (0 when the order has no remark yet)");
    return absl::OkStatus();
  }
  absl::StatusOr<int64_t> v = ParseNonNegativeInt64("version", *version);
  if (!v.ok()) return v.status();
  request->set_expected_version(*v);
  return absl::OkStatus();
}

template <typename Request>
absl::Status SetPaging(const Invocation& inv, Request* request) {
  if (const std::string* size = inv.Find("page-size")) {
    absl::StatusOr<int32_t> n = ParsePositiveInt32("page-size", *size);
    if (!n.ok()) return n.status();
    request->set_page_size(*n);
  }
  if (const std::string* token = inv.Find("page-token")) request->set_page_token(*token);
  return absl::OkStatus();
}

absl::StatusOr<v1::Flag> ColourOption(std::string_view option, std::string_view value) {
  absl::StatusOr<v1::Flag> flag = ParseFlagOption(option, value);
  if (flag.ok() && *flag == v1::FLAG_NONE) {
    return Usage(Cat("--", option, ": give a colour, not \"", value, "\""));
  }
  return flag;
}

}  // namespace

absl::StatusOr<std::string> RequestIdFor(const Invocation& inv) {
  if (const std::string* id = inv.Find("request-id")) {
    if (id->empty()) return Usage("--request-id must not be empty");
    return *id;
  }
  return RandomHexId();
}

absl::StatusOr<v1::GetRemarkRequest> BuildGetRequest(const Invocation& inv) {
  v1::GetRemarkRequest request;
  request.set_order_id(inv.args.at(0));
  if (const std::string* numbering = inv.Find("numbering")) {
    absl::StatusOr<v1::Platform> p = ParsePlatformOption("numbering", *numbering);
    if (!p.ok()) return p.status();
    request.set_numbering(*p);
  }
  return request;
}

absl::StatusOr<v1::BatchGetRemarksRequest> BuildBatchGetRequest(const Invocation& inv) {
  v1::BatchGetRemarksRequest request;
  for (const std::string& id : inv.args) request.add_order_ids(id);
  if (const std::string* numbering = inv.Find("numbering")) {
    absl::StatusOr<v1::Platform> p = ParsePlatformOption("numbering", *numbering);
    if (!p.ok()) return p.status();
    request.set_numbering(*p);
  }
  return request;
}

absl::StatusOr<v1::SetRemarkRequest> BuildSetRequest(const Invocation& inv) {
  v1::SetRemarkRequest request;
  request.set_order_id(inv.args.at(0));
  if (absl::Status s = SetExpectedVersion(inv, /*required=*/true, &request); !s.ok()) return s;
  if (absl::Status s = SetFlagValue(inv, /*required=*/true, &request); !s.ok()) return s;
  if (const std::string* text = inv.Find("text")) request.set_text(*text);
  absl::StatusOr<std::string> id = RequestIdFor(inv);
  if (!id.ok()) return id.status();
  request.set_request_id(*id);
  return request;
}

absl::StatusOr<v1::AppendRemarkRequest> BuildAppendRequest(const Invocation& inv) {
  v1::AppendRemarkRequest request;
  request.set_order_id(inv.args.at(0));
  const std::string* reason = inv.Find("reason");
  if (reason == nullptr || reason->empty()) return Usage("missing --reason");
  request.set_reason(*reason);
  if (absl::Status s = SetExpectedVersion(inv, /*required=*/false, &request); !s.ok()) return s;
  if (absl::Status s = SetFlagValue(inv, /*required=*/false, &request); !s.ok()) return s;
  absl::StatusOr<std::string> id = RequestIdFor(inv);
  if (!id.ok()) return id.status();
  request.set_request_id(*id);
  return request;
}

absl::StatusOr<v1::ClearRemarkRequest> BuildClearRequest(const Invocation& inv) {
  v1::ClearRemarkRequest request;
  request.set_order_id(inv.args.at(0));
  if (absl::Status s = SetExpectedVersion(inv, /*required=*/false, &request); !s.ok()) return s;
  absl::StatusOr<std::string> id = RequestIdFor(inv);
  if (!id.ok()) return id.status();
  request.set_request_id(*id);
  return request;
}

absl::StatusOr<v1::RemarkHistoryRequest> BuildHistoryRequest(const Invocation& inv) {
  v1::RemarkHistoryRequest request;
  request.set_order_id(inv.args.at(0));
  if (absl::Status s = SetPaging(inv, &request); !s.ok()) return s;
  return request;
}

absl::StatusOr<v1::ListByFlagRequest> BuildListRequest(const Invocation& inv) {
  v1::ListByFlagRequest request;
  const std::string* flag = inv.Find("flag");
  if (flag == nullptr) return Usage("missing --flag");
  absl::StatusOr<v1::Flag> f = ColourOption("flag", *flag);
  if (!f.ok()) return f.status();
  request.set_flag(*f);
  if (absl::Status s = SetPaging(inv, &request); !s.ok()) return s;
  return request;
}

absl::StatusOr<v1::SetLegendRequest> BuildSetLegendRequest(const Invocation& inv) {
  v1::SetLegendRequest request;
  std::vector<v1::Flag> seen;
  bool open = false;  // the last --flag still waits for its --meaning
  for (const auto& [option, value] : inv.options) {
    if (option == "flag") {
      if (open) return Usage("each --flag needs a --meaning after it");
      absl::StatusOr<v1::Flag> f = ColourOption("flag", value);
      if (!f.ok()) return f.status();
      if (std::find(seen.begin(), seen.end(), *f) != seen.end()) {
        return Usage(Cat("--flag ", FlagName(*f), " given twice"));
      }
      seen.push_back(*f);
      request.add_entries()->set_flag(*f);
      open = true;
    } else if (option == "meaning") {
      if (!open) return Usage("each --meaning must follow its --flag");
      request.mutable_entries(request.entries_size() - 1)->set_meaning(value);
      open = false;
    }
  }
  if (open) return Usage("each --flag needs a --meaning after it");
  if (request.entries_size() == 0) return Usage("missing --flag FLAG --meaning TEXT");
  absl::StatusOr<std::string> id = RequestIdFor(inv);
  if (!id.ok()) return id.status();
  request.set_request_id(*id);
  return request;
}

}  // namespace orderwatch::cli
