#include "core/space/search_space.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/space/make_divisible.h"
#include "core/util/input_error.h"
#include "core/util/json_ints.h"

namespace sn {
namespace {

using nlohmann::json;

Activation parseActivation(const std::string& name, const std::string& where) {
  if (name == "relu") return Activation::ReLU;
  if (name == "h_swish") return Activation::HSwish;
  if (name == "none") return Activation::None;
  throw InputError(where + ": unknown activation '" + name + "' (use relu, h_swish or none)");
}

// Reads a required field with a message that names the origin and the field.
template <typename T>
T field(const json& j, const char* key, const std::string& where) {
  if (!j.is_object() || !j.contains(key)) throw InputError(where + ": missing field '" + key + "'");
  if constexpr (std::is_same_v<T, int>) {
    return jsonInt(j.at(key), where + ": field '" + key + "'");
  } else if constexpr (std::is_same_v<T, std::vector<int>>) {
    return jsonInts(j.at(key), where + ": field '" + key + "'");
  } else {
    try {
      return j.at(key).get<T>();
    } catch (const json::exception&) {
      throw InputError(where + ": field '" + key + "' has the wrong type");
    }
  }
}

std::vector<int> choiceList(const json& j, const char* key, const std::string& where) {
  auto values = field<std::vector<int>>(j, key, where);
  if (values.empty()) throw InputError(where + ": '" + key + "' must list at least one choice");
  std::sort(values.begin(), values.end());
  for (int v : values) {
    if (v <= 0) throw InputError(where + ": '" + key + "' has a non-positive choice");
  }
  return values;
}

void requireOddKernels(const std::vector<int>& kernels, const std::string& where) {
  for (int k : kernels) {
    if (k % 2 == 0) {
      throw InputError(where + ": kernel " + std::to_string(k) +
                       " is even; elastic kernels take the centre, so they must be odd");
    }
  }
}

}  // namespace

static SearchSpace parseSpace(const json& j, const std::string& origin);

const char* activationName(Activation a) {
  switch (a) {
    case Activation::ReLU: return "relu";
    case Activation::HSwish: return "h_swish";
    case Activation::None: return "none";
  }
  return "none";
}

int SearchSpace::stageWidth(int stage) const {
  return makeDivisible(stages.at(stage).width * widthMult, 8);
}
int SearchSpace::stemWidth() const { return makeDivisible(stem.outChannels * widthMult, 8); }
int SearchSpace::firstBlockWidth() const {
  return makeDivisible(firstBlock.outChannels * widthMult, 8);
}
// Once-for-All scales the head only when width_mult > 1.
int SearchSpace::finalExpandWidth() const {
  return makeDivisible(head.finalExpand * widthMult, 8);
}
int SearchSpace::featureWidth() const {
  return widthMult > 1.0 ? makeDivisible(head.feature * widthMult, 8) : head.feature;
}

SearchSpace SearchSpace::fromJson(const json& j, const std::string& origin) {
  // The optional fields (j.value, .value on nested objects) throw nlohmann's type_error for
  // a value of the wrong type: one message naming the origin instead.
  try {
    return parseSpace(j, origin);
  } catch (const json::exception& e) {
    throw InputError(origin + ": a field has the wrong type (" + e.what() + ")");
  }
}

static SearchSpace parseSpace(const json& j, const std::string& origin) {
  if (!j.is_object()) throw InputError(origin + ": a search space must be a JSON object");
  SearchSpace s;
  s.name = field<std::string>(j, "name", origin);
  s.description = j.value("description", "");
  s.widthMult = j.value("width_mult", 1.0);
  if (s.widthMult <= 0) throw InputError(origin + ": width_mult must be positive");

  const json& stem = j.contains("stem") ? j["stem"] : json();
  const std::string stemWhere = origin + " stem";
  s.stem = {field<int>(stem, "out", stemWhere), field<int>(stem, "kernel", stemWhere),
            field<int>(stem, "stride", stemWhere),
            parseActivation(field<std::string>(stem, "act", stemWhere), stemWhere)};

  const json& fb = j.contains("first_block") ? j["first_block"] : json();
  const std::string fbWhere = origin + " first_block";
  s.firstBlock = {field<int>(fb, "out", fbWhere), field<int>(fb, "kernel", fbWhere),
                  field<int>(fb, "expand", fbWhere),
                  parseActivation(field<std::string>(fb, "act", fbWhere), fbWhere),
                  fb.value("se", false)};

  const json stages = j.value("stages", json::array());
  if (!stages.is_array() || stages.empty()) throw InputError(origin + ": 'stages' is empty");
  for (size_t i = 0; i < stages.size(); ++i) {
    const std::string where = origin + " stage " + std::to_string(i + 1);
    StageSpec st{field<int>(stages[i], "width", where), field<int>(stages[i], "stride", where),
                 parseActivation(field<std::string>(stages[i], "act", where), where),
                 stages[i].value("se", false)};
    if (st.width <= 0 || st.stride < 1 || st.stride > 2) {
      throw InputError(where + ": width must be positive and stride 1 or 2");
    }
    s.stages.push_back(st);
  }
  s.kernels = choiceList(j, "kernels", origin);
  s.expands = choiceList(j, "expands", origin);
  s.depths = choiceList(j, "depths", origin);
  requireOddKernels(s.kernels, origin);
  requireOddKernels({s.stem.kernel, s.firstBlock.kernel}, origin);

  const json& head = j.contains("head") ? j["head"] : json();
  const std::string headWhere = origin + " head";
  s.head = {field<int>(head, "final_expand", headWhere), field<int>(head, "feature", headWhere),
            head.value("dropout", 0.0)};
  const std::string transform = j.value("kernel_transform", "slice");
  if (transform == "matrix") s.kernelTransform = KernelTransform::Matrix;
  else if (transform != "slice") {
    throw InputError(origin + ": kernel_transform '" + transform + "' (use slice or matrix)");
  }
  return s;
}

json SearchSpace::toJson() const {
  json stageList = json::array();
  for (const StageSpec& st : stages) {
    stageList.push_back(
        {{"width", st.width}, {"stride", st.stride}, {"act", activationName(st.act)}, {"se", st.se}});
  }
  json j = {{"name", name},
            {"description", description},
            {"width_mult", widthMult},
            {"stem",
             {{"out", stem.outChannels},
              {"kernel", stem.kernel},
              {"stride", stem.stride},
              {"act", activationName(stem.act)}}},
            {"first_block",
             {{"out", firstBlock.outChannels},
              {"kernel", firstBlock.kernel},
              {"expand", firstBlock.expand},
              {"act", activationName(firstBlock.act)},
              {"se", firstBlock.se}}},
            {"stages", stageList},
            {"kernels", kernels},
            {"expands", expands},
            {"depths", depths},
            {"head",
             {{"final_expand", head.finalExpand},
              {"feature", head.feature},
              {"dropout", head.dropout}}}};
  // Written only when set, so the spaces stored before it existed read back unchanged.
  if (kernelTransform == KernelTransform::Matrix) j["kernel_transform"] = "matrix";
  return j;
}

}  // namespace sn
