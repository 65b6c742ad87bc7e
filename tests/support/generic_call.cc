#include "tests/support/generic_call.h"

#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <future>
#include <memory>

#include "absl/strings/str_cat.h"

namespace orderwatch::testing {

namespace pb = google::protobuf;

std::map<std::string, const pb::MethodDescriptor*> AllRpcs(const std::string& proto_dir) {
  std::map<std::string, const pb::MethodDescriptor*> out;
  for (const auto& entry : std::filesystem::directory_iterator(proto_dir)) {
    const std::string name = "orderwatch/v1/" + entry.path().filename().string();
    const pb::FileDescriptor* file = pb::DescriptorPool::generated_pool()->FindFileByName(name);
    EXPECT_NE(file, nullptr) << name << " is not linked into this test";
    if (file == nullptr) continue;
    for (int s = 0; s < file->service_count(); ++s) {
      const pb::ServiceDescriptor* service = file->service(s);
      for (int m = 0; m < service->method_count(); ++m) {
        out[absl::StrCat("/", service->full_name(), "/", service->method(m)->name())] =
            service->method(m);
      }
    }
  }
  return out;
}

std::string RequestBytes(const pb::MethodDescriptor& rpc, const std::string& text) {
  pb::DynamicMessageFactory factory;
  std::unique_ptr<pb::Message> request(factory.GetPrototype(rpc.input_type())->New());
  EXPECT_TRUE(pb::TextFormat::ParseFromString(text, request.get()))
      << rpc.full_name() << ": " << text;
  return request->SerializeAsString();
}

Answer CallRpc(grpc::GenericStub& stub, const pb::MethodDescriptor& rpc,
               const std::string& request_bytes,
               const std::vector<std::pair<std::string, std::string>>& metadata) {
  const std::string method = absl::StrCat("/", rpc.service()->full_name(), "/", rpc.name());
  grpc::Slice slice(request_bytes);
  grpc::ByteBuffer in(&slice, 1), out;
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  for (const auto& [key, value] : metadata) ctx.AddMetadata(key, value);
  std::promise<grpc::Status> done;
  stub.UnaryCall(&ctx, method, {}, &in, &out,
                 [&done](grpc::Status s) { done.set_value(std::move(s)); });
  Answer a{done.get_future().get(), ""};
  if (a.status.ok()) {
    std::vector<grpc::Slice> slices;
    EXPECT_TRUE(out.Dump(&slices).ok());
    std::string wire;
    for (const auto& s : slices) wire.append(reinterpret_cast<const char*>(s.begin()), s.size());
    pb::DynamicMessageFactory factory;
    std::unique_ptr<pb::Message> response(factory.GetPrototype(rpc.output_type())->New());
    EXPECT_TRUE(response->ParseFromString(wire)) << method;
    pb::TextFormat::PrintToString(*response, &a.response);
  }
  return a;
}

}  // namespace orderwatch::testing
