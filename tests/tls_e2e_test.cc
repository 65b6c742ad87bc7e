// TLS and mutual TLS on the gRPC port, through a real server on a real Redis, with certificates
// made by the openssl command for each run: who gets through, a renewed certificate served
// without a restart, the CLI over TLS, and a wrong file refused at start with its name.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "tests/support/test_server.h"

namespace orderwatch {
namespace {

using testing::RedisServer;
using testing::TestServer;

class Certificates {
 public:
  Certificates() : dir_(::testing::TempDir() + "/tls_" + std::to_string(getpid())) {
    std::filesystem::create_directories(dir_);
  }
  ~Certificates() { std::filesystem::remove_all(dir_); }

  std::string Path(const std::string& name) const { return dir_ + "/" + name; }

  // A self-signed CA: <name>.pem and <name>.key.
  void Authority(const std::string& name) const {
    Run(absl::StrCat("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes",
                     " -days 2 -subj /CN=", name, " -keyout ", Path(name + ".key"), " -out ",
                     Path(name + ".pem")));
  }
  // A certificate for `cn` signed by `ca`: <name>.pem and <name>.key; `server` adds the loopback
  // names.
  void Issue(const std::string& name, const std::string& ca, const std::string& cn,
             bool server) const {
    std::ofstream(Path(name + ".ext"))
        << (server ? "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n"
                   : "extendedKeyUsage=clientAuth\n");
    Run(absl::StrCat(
        "openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=", cn,
        " -keyout ", Path(name + ".key"), " -out ", Path(name + ".csr")));
    Run(absl::StrCat("openssl x509 -req -in ", Path(name + ".csr"), " -CA ", Path(ca + ".pem"),
                     " -CAkey ", Path(ca + ".key"), " -CAcreateserial -days 2 -out ",
                     Path(name + ".pem"), " -extfile ", Path(name + ".ext")));
  }

  std::string Read(const std::string& name) const {
    std::ifstream in(Path(name));
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

 private:
  static void Run(const std::string& command) {
    ASSERT_EQ(std::system((command + " 2>/dev/null").c_str()), 0) << command;
  }

  std::string dir_;
};

class TlsE2ETest : public ::testing::Test {
 protected:
  void SetUp() override {
    certs_.Authority("ca");
    certs_.Issue("server", "ca", "localhost", true);
    certs_.Authority("client-ca");
    certs_.Issue("amy", "client-ca", "amy", false);
    certs_.Authority("other-ca");
    certs_.Issue("mallory", "other-ca", "mallory", false);
  }

  server::ServerConfig Config(bool mutual) const {
    auto config = TestServer::DevConfig();
    config.tls.cert = certs_.Path("server.pem");
    config.tls.key = certs_.Path("server.key");
    if (mutual) config.tls.client_ca = certs_.Path("client-ca.pem");
    config.tls.refresh = absl::Seconds(1);
    return config;
  }

  // A health check over a new channel: TLS trusting `ca` (plaintext when empty), presenting
  // `client` (<name>.pem/.key) when given.
  grpc::StatusCode Check(const TestServer& server, const std::string& ca,
                         const std::string& client = "") const {
    std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
    if (!ca.empty()) {
      grpc::SslCredentialsOptions ssl;
      ssl.pem_root_certs = certs_.Read(ca + ".pem");
      if (!client.empty()) {
        ssl.pem_cert_chain = certs_.Read(client + ".pem");
        ssl.pem_private_key = certs_.Read(client + ".key");
      }
      credentials = grpc::SslCredentials(ssl);
    }
    auto stub = grpc::health::v1::Health::NewStub(grpc::CreateChannel(
        absl::StrCat("localhost:", server.address().substr(server.address().rfind(':') + 1)),
        credentials));
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(3));
    grpc::health::v1::HealthCheckResponse response;
    const grpc::Status s = stub->Check(&ctx, {}, &response);
    if (s.ok()) {
      EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);
    }
    return s.error_code();
  }

  Certificates certs_;
  RedisServer redis_;
};

TEST_F(TlsE2ETest, OnlyTlsClientsThatTrustTheServerGetThrough) {
  TestServer server(redis_, Config(/*mutual=*/false));
  EXPECT_EQ(Check(server, "ca"), grpc::StatusCode::OK);
  EXPECT_EQ(Check(server, ""), grpc::StatusCode::UNAVAILABLE) << "plaintext to a TLS port";
  EXPECT_EQ(Check(server, "other-ca"), grpc::StatusCode::UNAVAILABLE) << "a server not trusted";
}

TEST_F(TlsE2ETest, MutualTlsWantsACertificateFromTheClientCa) {
  TestServer server(redis_, Config(/*mutual=*/true));
  EXPECT_EQ(Check(server, "ca", "amy"), grpc::StatusCode::OK);
  EXPECT_EQ(Check(server, "ca"), grpc::StatusCode::UNAVAILABLE) << "no client certificate";
  EXPECT_EQ(Check(server, "ca", "mallory"), grpc::StatusCode::UNAVAILABLE)
      << "a client certificate of another CA";
}

TEST_F(TlsE2ETest, ARenewedCertificateIsServedWithoutARestart) {
  TestServer server(redis_, Config(/*mutual=*/false));
  ASSERT_EQ(Check(server, "ca"), grpc::StatusCode::OK);
  // Renewed under another CA, so that a client can tell the two apart; files replaced whole.
  certs_.Authority("ca2");
  certs_.Issue("server2", "ca2", "localhost", true);
  std::filesystem::rename(certs_.Path("server2.key"), certs_.Path("server.key"));
  std::filesystem::rename(certs_.Path("server2.pem"), certs_.Path("server.pem"));
  const absl::Time until = absl::Now() + absl::Seconds(10);
  while (Check(server, "ca2") != grpc::StatusCode::OK && absl::Now() < until) {
    absl::SleepFor(absl::Milliseconds(200));
  }
  EXPECT_EQ(Check(server, "ca2"), grpc::StatusCode::OK);
  EXPECT_EQ(Check(server, "ca"), grpc::StatusCode::UNAVAILABLE) << "the old certificate is gone";
}

TEST_F(TlsE2ETest, TheCliSpeaksTls) {
  TestServer server(redis_, Config(/*mutual=*/true));
  auto cli = [&](const std::string& options) {
    const std::string command =
        absl::StrCat(ORDERWATCH_CLI_BIN, " --addr=localhost:", server.app().grpc_port(), " ",
                     options, " health 2>&1");
    FILE* p = popen(command.c_str(), "r");
    std::string out;
    char buf[256];
    while (fgets(buf, sizeof buf, p) != nullptr) out += buf;
    const int status = pclose(p);
    return std::make_pair(WEXITSTATUS(status), out);
  };
  const std::string ca = certs_.Path("ca.pem");
  auto [code, out] =
      cli(absl::StrCat("--tls-ca-file=", ca, " --client-cert-file=", certs_.Path("amy.pem"),
                       " --client-key-file=", certs_.Path("amy.key")));
  EXPECT_EQ(code, 0) << out;
  EXPECT_NE(out.find("SERVING"), std::string::npos) << out;
  std::tie(code, out) = cli(absl::StrCat("--tls-ca-file=", ca));
  EXPECT_NE(code, 0) << "no client certificate: " << out;
  std::tie(code, out) = cli(absl::StrCat("--tls-ca-file=", certs_.Path("missing.pem")));
  EXPECT_EQ(code, 2) << out;
  EXPECT_NE(out.find("--tls-ca-file"), std::string::npos) << out;
  std::tie(code, out) = cli(absl::StrCat("--client-cert-file=", certs_.Path("amy.pem")));
  EXPECT_EQ(code, 2) << out;
  EXPECT_NE(out.find("--client-key-file"), std::string::npos) << out;
}

TEST_F(TlsE2ETest, AWrongFileStopsTheStartAndIsNamed) {
  auto start = [&](server::ServerConfig config) {
    TestServer::UseRedis(redis_, config);
    auto app = server::ServerApp::Start(config);
    return app.ok() ? std::string("started") : std::string(app.status().message());
  };
  auto config = Config(false);
  config.tls.key = certs_.Path("amy.key");  // another certificate's key
  EXPECT_NE(start(config).find("--tls-key-file: "), std::string::npos) << start(config);
  config = Config(false);
  config.tls.cert = certs_.Path("nothing.pem");
  EXPECT_NE(start(config).find("--tls-cert-file: cannot read"), std::string::npos);
  config = Config(true);
  config.tls.client_ca = certs_.Path("server.key");  // PEM, but no certificate
  EXPECT_NE(start(config).find("--tls-client-ca-file: "), std::string::npos) << start(config);
}

}  // namespace
}  // namespace orderwatch
