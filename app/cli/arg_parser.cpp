#include "app/cli/arg_parser.h"

#include <algorithm>

#include "core/util/input_error.h"

namespace sn::cli {

ArgParser::ArgParser(const std::vector<std::string>& args,
                     const std::vector<std::string>& valueFlags,
                     const std::vector<std::string>& switches) {
  auto known = [](const std::vector<std::string>& list, const std::string& f) {
    return std::find(list.begin(), list.end(), f) != list.end();
  };
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.rfind("--", 0) != 0) {
      positional_.push_back(a);
      continue;
    }
    std::string flag = a, inlineValue;
    const auto eq = a.find('=');
    if (eq != std::string::npos) {
      flag = a.substr(0, eq);
      inlineValue = a.substr(eq + 1);
    }
    if (known(switches, flag)) {
      values_[flag] = "1";
    } else if (known(valueFlags, flag)) {
      if (eq != std::string::npos) {
        values_[flag] = inlineValue;
      } else if (i + 1 < args.size()) {
        values_[flag] = args[++i];
      } else {
        throw InputError("option " + flag + " needs a value");
      }
      repeated_[flag].push_back(values_[flag]);
    } else {
      throw InputError("unknown option " + flag + " (see --help)");
    }
  }
}

const std::string& ArgParser::required(size_t n, const std::string& what) const {
  if (n >= positional_.size()) throw InputError("missing " + what + " (see --help)");
  return positional_[n];
}

bool ArgParser::has(const std::string& flag) const { return values_.count(flag) > 0; }

std::optional<std::string> ArgParser::value(const std::string& flag) const {
  const auto it = values_.find(flag);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> ArgParser::values(const std::string& flag) const {
  const auto it = repeated_.find(flag);
  return it == repeated_.end() ? std::vector<std::string>{} : it->second;
}

std::string ArgParser::valueOr(const std::string& flag, const std::string& fallback) const {
  return value(flag).value_or(fallback);
}

std::string ArgParser::requiredValue(const std::string& flag) const {
  const auto v = value(flag);
  if (!v) throw InputError("option " + flag + " is required (see --help)");
  return *v;
}

bool ArgParser::onOffOr(const std::string& flag, bool fallback) const {
  const auto v = value(flag);
  if (!v) return fallback;
  if (*v == "on") return true;
  if (*v == "off") return false;
  throw InputError("option " + flag + ": '" + *v + "' is neither on nor off");
}

int ArgParser::intOr(const std::string& flag, int fallback, int min) const {
  const auto v = value(flag);
  if (!v) return fallback;
  int parsed = 0;
  try {
    size_t used = 0;
    parsed = std::stoi(*v, &used);
    if (used != v->size()) throw std::invalid_argument(*v);
  } catch (const std::exception&) {
    throw InputError("option " + flag + ": '" + *v + "' is not an integer");
  }
  if (parsed < min) {
    throw InputError("option " + flag + ": " + *v + " is below the minimum " + std::to_string(min));
  }
  return parsed;
}

std::optional<double> ArgParser::positiveDouble(const std::string& flag, double above) const {
  const auto v = value(flag);
  if (!v) return std::nullopt;
  double parsed = 0;
  try {
    size_t used = 0;
    parsed = std::stod(*v, &used);
    if (used != v->size()) throw std::invalid_argument(*v);
  } catch (const std::exception&) {
    throw InputError("option " + flag + ": '" + *v + "' is not a number");
  }
  if (!(parsed > above)) {
    throw InputError("option " + flag + ": " + *v + " must be above " + std::to_string(above));
  }
  return parsed;
}

}  // namespace sn::cli
