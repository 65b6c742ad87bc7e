// The Access service's logic: issue, list and revoke bearer tokens. Ops manage every shop's
// tokens; supervisors their own shop's agent and storefront tokens; nobody else any.
#pragma once

#include "absl/time/time.h"
#include "orderwatch/v1/access.pb.h"
#include "services/access/token_store.h"
#include "services/common/async.h"
#include "services/common/auth.h"

namespace orderwatch::access {

class AccessService {
 public:
  AccessService(TokenStore& store, const Authenticator& auth) : store_(store), auth_(auth) {}

  void IssueToken(const Principal& who, const v1::IssueTokenRequest& request, absl::Time deadline,
                  Done<v1::IssuedToken> done);
  void ListTokens(const Principal& who, const v1::ListTokensRequest& request, absl::Time deadline,
                  Done<v1::ListTokensResponse> done);
  void RevokeToken(const Principal& who, const v1::RevokeTokenRequest& request, absl::Time deadline,
                   Done<v1::TokenInfo> done);

  static v1::TokenInfo Info(const TokenEntry& entry);

 private:
  TokenStore& store_;
  const Authenticator& auth_;
};

}  // namespace orderwatch::access
