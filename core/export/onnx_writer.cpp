#include "core/export/onnx_writer.h"

#include <onnx/onnx_pb.h>

#include <ATen/ATen.h>

#include <cstring>
#include <fstream>

#include "core/util/input_error.h"

namespace sn {
namespace {

void setShape(onnx::ValueInfoProto* value, const std::string& name, const std::vector<int64_t>& dims,
              int64_t batch) {
  value->set_name(name);
  onnx::TypeProto_Tensor* tensor = value->mutable_type()->mutable_tensor_type();
  tensor->set_elem_type(onnx::TensorProto::FLOAT);
  onnx::TensorShapeProto* shape = tensor->mutable_shape();
  onnx::TensorShapeProto_Dimension* first = shape->add_dim();
  if (batch > 0) {
    first->set_dim_value(batch);
  } else {
    first->set_dim_param("batch");
  }
  for (int64_t d : dims) shape->add_dim()->set_dim_value(d);
}

void addInitializer(onnx::GraphProto* graph, const std::string& name, const at::Tensor& t) {
  onnx::TensorProto* init = graph->add_initializer();
  init->set_name(name);
  init->set_data_type(onnx::TensorProto::FLOAT);
  for (int64_t d : t.sizes()) init->add_dims(d);
  init->set_raw_data(t.data_ptr<float>(), static_cast<size_t>(t.numel()) * sizeof(float));
}

void addInts(onnx::NodeProto* node, const std::string& name, const std::vector<int64_t>& values) {
  onnx::AttributeProto* a = node->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INTS);
  for (int64_t v : values) a->add_ints(v);
}

void addInt(onnx::NodeProto* node, const std::string& name, int64_t value) {
  onnx::AttributeProto* a = node->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INT);
  a->set_i(value);
}

void addFloat(onnx::NodeProto* node, const std::string& name, float value) {
  onnx::AttributeProto* a = node->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::FLOAT);
  a->set_f(value);
}

void addString(onnx::NodeProto* node, const std::string& name, const std::string& value) {
  onnx::AttributeProto* a = node->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::STRING);
  a->set_s(value);
}

// ExpandSpatial as a nearest-neighbour Resize of the 1 x 1 gate by the constant factor H, W:
// the one form OpenCV 4.6 DNN runs at every batch size (its Expand and broadcasting Mul
// handle batch 1 only).
void addExpandSpatial(onnx::GraphProto* graph, onnx::NodeProto* node, const ExportNode& n, size_t index) {
  const std::string scales = "n" + std::to_string(index) + ".scales";
  const float side = static_cast<float>(n.outputSide);
  addInitializer(graph, scales, at::tensor({1.0f, 1.0f, side, side}));
  node->add_input(n.inputs.front());
  node->add_input("");  // no region of interest
  node->add_input(scales);
  addString(node, "mode", "nearest");
}

void addNode(onnx::GraphProto* graph, const ExportNode& n, size_t index) {
  onnx::NodeProto* node = graph->add_node();
  node->set_name(std::string(exportOpName(n.op)) + "_" + std::to_string(index));
  node->set_op_type(exportOpName(n.op));
  if (n.op == ExportOp::ExpandSpatial) {
    addExpandSpatial(graph, node, n, index);
  } else {
    for (const std::string& in : n.inputs) node->add_input(in);
  }
  if (n.weight.defined()) {
    const std::string prefix = "n" + std::to_string(index);
    addInitializer(graph, prefix + ".weight", n.weight);
    addInitializer(graph, prefix + ".bias", n.bias);
    node->add_input(prefix + ".weight");
    node->add_input(prefix + ".bias");
  }
  node->add_output(n.output);
  switch (n.op) {
    case ExportOp::Conv: {
      const int64_t k = n.weight.size(2);
      addInts(node, "kernel_shape", {k, k});
      addInts(node, "strides", {n.stride, n.stride});
      addInts(node, "pads", {n.padding, n.padding, n.padding, n.padding});
      addInts(node, "dilations", {1, 1});
      addInt(node, "group", n.groups);
      break;
    }
    case ExportOp::HardSigmoid:  // relu6(x + 3) / 6, as the supernet's SE gate
      addFloat(node, "alpha", 1.0f / 6.0f);
      addFloat(node, "beta", 0.5f);
      break;
    case ExportOp::Flatten: addInt(node, "axis", 1); break;
    case ExportOp::Gemm: addInt(node, "transB", 1); break;
    default: break;
  }
}

}  // namespace

void writeOnnxModel(const ExportGraph& graph, const std::string& path, const OnnxWriteOptions& options) {
  onnx::ModelProto model;
  model.set_ir_version(onnx::IR_VERSION);
  model.set_producer_name("Supernet Studio");
  model.set_producer_version(options.producerVersion);
  model.set_doc_string(options.docString);
  onnx::OperatorSetIdProto* opset = model.add_opset_import();
  opset->set_domain("");
  opset->set_version(options.opset);
  for (const auto& [key, value] : options.metadata) {
    onnx::StringStringEntryProto* entry = model.add_metadata_props();
    entry->set_key(key);
    entry->set_value(value);
  }
  onnx::GraphProto* g = model.mutable_graph();
  g->set_name("subnet");
  const NetShape& s = graph.shape;
  setShape(g->add_input(), graph.input, {s.channels, s.resolution, s.resolution}, options.batch);
  setShape(g->add_output(), graph.output, {s.classes}, options.batch);
  for (size_t i = 0; i < graph.nodes.size(); ++i) addNode(g, graph.nodes[i], i);

  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out || !model.SerializeToOstream(&out) || !out.flush()) {
    throw InputError(path + ": cannot write the ONNX model");
  }
}

std::map<std::string, at::Tensor> readOnnxInitializers(const std::string& path) {
  onnx::ModelProto model;
  std::ifstream in(path, std::ios::binary);
  if (!in || !model.ParseFromIstream(&in)) throw InputError(path + ": not a readable ONNX model");
  std::map<std::string, at::Tensor> out;
  for (const onnx::TensorProto& t : model.graph().initializer()) {
    if (t.data_type() != onnx::TensorProto::FLOAT) continue;
    std::vector<int64_t> dims(t.dims().begin(), t.dims().end());
    at::Tensor tensor = at::empty(dims, at::kFloat);
    if (t.raw_data().size() != static_cast<size_t>(tensor.numel()) * sizeof(float)) {
      throw InputError(path + ": initializer " + t.name() + " has the wrong size");
    }
    std::memcpy(tensor.data_ptr<float>(), t.raw_data().data(), t.raw_data().size());
    out.emplace(t.name(), tensor);
  }
  return out;
}

}  // namespace sn
