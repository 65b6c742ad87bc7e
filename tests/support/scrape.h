// Reading a server's /metrics in tests: the plain HTTP GET and one sample's value.
#pragma once

#include <string>

namespace orderwatch::testing {

// GET http://127.0.0.1:<port><path>; the body, or "" on failure.
std::string HttpGet(int port, const std::string& path);
// The value of the sample `series` (name and labels as exposed, e.g.
// `x_total{kind="a"}`) in a scrape, or NaN when it is not there.
double MetricValue(const std::string& scrape, const std::string& series);

}  // namespace orderwatch::testing
