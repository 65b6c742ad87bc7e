#include "loadtest/load_options.h"

#include <charconv>
#include <cstdlib>
#include <functional>
#include <map>

namespace orderwatch::load {
namespace {

bool ParseInt(const std::string& s, int lo, int hi, int* out) {
  int v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v < lo || v > hi) return false;
  *out = v;
  return true;
}

bool ParseDouble(const std::string& s, double lo, double hi, double* out) {
  if (s.empty()) return false;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || !(v >= lo && v <= hi)) return false;
  *out = v;
  return true;
}

std::string ShellQuote(const std::string& s) {
  if (!s.empty() && s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                        "0123456789-_=.,:/@+%") == std::string::npos) {
    return s;
  }
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

using Setter = std::function<bool(Options&, const std::string&)>;

struct Flag {
  const char* name;
  const char* help;
  Setter set;
};

const std::vector<Flag>& Flags() {
  static const std::vector<Flag> kFlags = {
      {"addr", "host:port of orderwatch-server's gRPC API (default 127.0.0.1:50051)",
       [](Options& o, const std::string& v) {
         o.addr = v;
         return !v.empty();
       }},
      {"op",
       "set | batchget | get (default set). set: Remarks.Set; every in-flight slot owns its own "
       "orders and remembers their versions, so expected_version is always right and ABORTED "
       "means a bug (it is counted as an error). batchget: Remarks.BatchGet of --batch random "
       "orders. get: Remarks.Get of one random order",
       [](Options& o, const std::string& v) {
         if (v == "set")
           o.op = Op::kSet;
         else if (v == "batchget")
           o.op = Op::kBatchGet;
         else if (v == "get")
           o.op = Op::kGet;
         else
           return false;
         return true;
       }},
      {"batch", "orders per BatchGet call, 1-500 (default 50)",
       [](Options& o, const std::string& v) { return ParseInt(v, 1, 500, &o.batch); }},
      {"orders", "distinct order ids ord-0..ord-<N-1> (default 10000)",
       [](Options& o, const std::string& v) { return ParseInt(v, 1, 100000000, &o.orders); }},
      {"concurrency",
       "closed loop: calls kept in flight; open loop: the most calls in flight at once (default "
       "64)",
       [](Options& o, const std::string& v) { return ParseInt(v, 1, 100000, &o.concurrency); }},
      {"rate",
       "open loop: calls/s sent at fixed intervals whatever the replies do; latency is measured "
       "from each call's scheduled send time, so a stalled server shows as latency (no "
       "coordinated omission); the report also gives the send lag, how late calls went out "
       "(generator "
       "busy, or all --concurrency slots in flight). 0 = closed loop (default 0)",
       [](Options& o, const std::string& v) { return ParseDouble(v, 0, 1e7, &o.rate); }},
      {"duration", "measured seconds (default 10)",
       [](Options& o, const std::string& v) { return ParseDouble(v, 0.1, 86400, &o.duration_s); }},
      {"warmup", "seconds of load before measuring starts (default 2)",
       [](Options& o, const std::string& v) { return ParseDouble(v, 0, 3600, &o.warmup_s); }},
      {"shop", "shop sent in x-orderwatch-shop (default loadshop)",
       [](Options& o, const std::string& v) {
         o.shop = v;
         return !v.empty();
       }},
      {"agent", "agent sent in x-orderwatch-agent (default loadagent); role is always agent",
       [](Options& o, const std::string& v) {
         o.agent = v;
         return !v.empty();
       }},
      {"channels",
       "gRPC channels (separate HTTP/2 connections) the calls are spread over (default 2)",
       [](Options& o, const std::string& v) { return ParseInt(v, 1, 256, &o.channels); }},
      {"timeout-ms", "per-call deadline in milliseconds (default 5000)",
       [](Options& o, const std::string& v) { return ParseInt(v, 1, 3600000, &o.timeout_ms); }},
      {"json", "print one JSON line of the results instead of the text report",
       [](Options& o, const std::string&) {
         o.json = true;
         return true;
       }},
  };
  return kFlags;
}

}  // namespace

const char* OpName(Op op) {
  switch (op) {
    case Op::kSet:
      return "set";
    case Op::kBatchGet:
      return "batchget";
    case Op::kGet:
      return "get";
  }
  return "?";
}

std::string Usage() {
  std::string out =
      "usage: orderwatch-load [--flag=value ...]\n\n"
      "Drives orderwatch-server's Remarks API with the gRPC callback API and reports throughput,\n"
      "latency percentiles and errors by gRPC code. The server must run with --auth=dev: the\n"
      "caller's identity goes in x-orderwatch-shop/agent/role headers.\n\n";
  for (const auto& f : Flags()) {
    out += "  --";
    out += f.name;
    // The help text, wrapped at 96 columns.
    std::string line = "     ";
    size_t at = 0;
    const std::string help = f.help;
    while (at < help.size()) {
      size_t end = help.find(' ', at);
      if (end == std::string::npos) end = help.size();
      const std::string word = help.substr(at, end - at);
      if (line.size() + 1 + word.size() > 96) {
        out += "\n" + line;
        line = "     ";
      }
      line += " " + word;
      at = end + 1;
    }
    out += "\n" + line + "\n";
  }
  out += "  --help\n      this text\n";
  return out;
}

std::optional<Options> ParseOptions(const std::vector<std::string>& argv, bool* help,
                                    std::string* error) {
  Options o;
  *help = false;
  for (size_t i = 0; i < argv.size(); ++i) {
    if (i > 0) o.command_line += ' ';
    o.command_line += ShellQuote(argv[i]);
  }
  for (size_t i = 1; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a == "--help" || a == "-h") {
      *help = true;
      return std::nullopt;
    }
    if (a.rfind("--", 0) != 0) {
      *error = "unexpected argument \"" + a + "\"";
      return std::nullopt;
    }
    std::string name = a.substr(2), value;
    const size_t eq = name.find('=');
    const bool has_value = eq != std::string::npos;
    if (has_value) {
      value = name.substr(eq + 1);
      name.resize(eq);
    }
    const Flag* flag = nullptr;
    for (const auto& f : Flags()) {
      if (name == f.name) flag = &f;
    }
    if (flag == nullptr) {
      *error = "unknown flag --" + name + " (see --help)";
      return std::nullopt;
    }
    if (!has_value && name != "json") {
      if (i + 1 >= argv.size()) {
        *error = "--" + name + " needs a value";
        return std::nullopt;
      }
      value = argv[++i];
    }
    if (!flag->set(o, value)) {
      *error = "--" + name + ": bad value \"" + value + "\" (see --help)";
      return std::nullopt;
    }
  }
  if (o.op == Op::kSet && o.orders < o.concurrency) {
    *error = "--op=set needs --orders >= --concurrency: every in-flight slot owns its own orders";
    return std::nullopt;
  }
  if (o.op == Op::kBatchGet && o.batch > o.orders) {
    *error = "--batch must not exceed --orders";
    return std::nullopt;
  }
  return o;
}

}  // namespace orderwatch::load
