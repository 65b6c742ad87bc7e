#include "tests/support/scrape.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmath>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace orderwatch::testing {

std::string HttpGet(int port, const std::string& path) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return "";
  }
  const std::string request =
      absl::StrCat("GET ", path, " HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  (void)write(fd, request.data(), request.size());
  std::string response;
  char buf[65536];
  for (ssize_t n; (n = read(fd, buf, sizeof(buf))) > 0;) response.append(buf, n);
  close(fd);
  const size_t body = response.find("\r\n\r\n");
  return body == std::string::npos ? "" : response.substr(body + 4);
}

double MetricValue(const std::string& scrape, const std::string& series) {
  const std::string line_start = series + " ";
  for (size_t at = 0; at < scrape.size();) {
    size_t end = scrape.find('\n', at);
    if (end == std::string::npos) end = scrape.size();
    if (scrape.compare(at, line_start.size(), line_start) == 0) {
      double v = 0;
      if (absl::SimpleAtod(scrape.substr(at + line_start.size(), end - at - line_start.size()),
                           &v)) {
        return v;
      }
    }
    at = end + 1;
  }
  return std::nan("");
}

}  // namespace orderwatch::testing
