// Completion callbacks for asynchronous work. They may run on a Redis loop thread: never block.
#pragma once

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"

namespace orderwatch {

template <typename T>
using Done = absl::AnyInvocable<void(absl::StatusOr<T>)>;

}  // namespace orderwatch
