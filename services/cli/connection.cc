#include "services/cli/connection.h"

#include <chrono>

#include "services/cli/text.h"
#include "services/common/secret_file.h"

namespace orderwatch::cli {

std::vector<std::pair<std::string, std::string>> CallMetadata(const GlobalOptions& options) {
  std::vector<std::pair<std::string, std::string>> metadata;
  if (!options.token.empty()) {
    metadata.emplace_back("authorization", Cat("Bearer ", options.token));
    return metadata;
  }
  if (!options.shop.empty()) metadata.emplace_back("x-orderwatch-shop", options.shop);
  if (!options.agent.empty()) metadata.emplace_back("x-orderwatch-agent", options.agent);
  if (!options.role.empty()) metadata.emplace_back("x-orderwatch-role", options.role);
  return metadata;
}

absl::Status CheckCallMetadata(const GlobalOptions& options) {
  const std::pair<std::string_view, const std::string*> values[] = {{"token", &options.token},
                                                                    {"shop", &options.shop},
                                                                    {"agent", &options.agent},
                                                                    {"role", &options.role}};
  for (const auto& [name, value] : values) {
    for (const char c : *value) {
      if (c < 0x20 || c > 0x7e) {
        return absl::InvalidArgumentError(
            Cat("--", name, ": only printable ASCII can be sent as gRPC metadata"));
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> ChannelCredentials(
    const GlobalOptions& options) {
  if (!options.UsesTls()) return grpc::InsecureChannelCredentials();
  grpc::SslCredentialsOptions ssl;
  const std::pair<std::string_view, const std::string*> files[] = {
      {"tls-ca-file", &options.tls_ca_file},
      {"client-cert-file", &options.client_cert_file},
      {"client-key-file", &options.client_key_file}};
  std::string* targets[] = {&ssl.pem_root_certs, &ssl.pem_cert_chain, &ssl.pem_private_key};
  for (size_t i = 0; i < 3; ++i) {
    const std::string& path = *files[i].second;
    if (path.empty()) continue;
    absl::StatusOr<std::string> pem = ReadPemFile(Cat("--", files[i].first), path);
    if (!pem.ok()) return pem.status();
    *targets[i] = *std::move(pem);
  }
  return grpc::SslCredentials(ssl);
}

Connection::Connection(const GlobalOptions& options,
                       std::shared_ptr<grpc::ChannelCredentials> credentials)
    : options_(options),
      channel_(grpc::CreateChannel(options.addr, std::move(credentials))),
      remarks_(v1::Remarks::NewStub(channel_)),
      events_(v1::OrderEvents::NewStub(channel_)),
      reminders_(v1::Reminders::NewStub(channel_)),
      shipments_(v1::Shipments::NewStub(channel_)),
      followups_(v1::FollowUps::NewStub(channel_)),
      health_(grpc::health::v1::Health::NewStub(channel_)),
      access_(v1::Access::NewStub(channel_)) {}

std::unique_ptr<grpc::ClientContext> Connection::NewContext() const {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() +
                        absl::ToChronoMicroseconds(options_.timeout));
  for (const auto& [key, value] : CallMetadata(options_)) context->AddMetadata(key, value);
  return context;
}

}  // namespace orderwatch::cli
