// TLS for the gRPC port: the certificate and key files, and optionally a CA whose certificates
// clients must present (mutual TLS). Plaintext when no certificate is configured.
#pragma once

#include <grpcpp/security/server_credentials.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace orderwatch::server {

struct TlsFiles {
  std::string cert;       // PEM certificate chain, the server's first
  std::string key;        // PEM private key of the first certificate
  std::string client_ca;  // PEM CA bundle; when set, clients must present a certificate it signed
  // How often the files are read again: a renewed certificate (cert-manager, certbot) is served
  // from then on, without a restart.
  absl::Duration refresh = absl::Seconds(60);

  bool enabled() const { return !cert.empty(); }
};

// The credentials of the gRPC port. The files are checked first (readable, PEM, the key matching
// the certificate, the CA parsing) so that a mistake stops the start with the file named; then
// gRPC watches them. INVALID_ARGUMENT names the setting at fault.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> GrpcServerCredentials(
    const TlsFiles& files);

}  // namespace orderwatch::server
