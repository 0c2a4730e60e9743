#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sn::cli {

// `verb POSITIONAL... --flag value --switch`. Unknown flags and missing values are
// InputErrors, so a typo never silently falls back to a default.
class ArgParser {
 public:
  // `valueFlags` take a value; `switches` do not.
  ArgParser(const std::vector<std::string>& args, const std::vector<std::string>& valueFlags,
            const std::vector<std::string>& switches);

  const std::vector<std::string>& positional() const { return positional_; }
  // The n-th positional argument, or InputError naming `what`.
  const std::string& required(size_t n, const std::string& what) const;
  bool has(const std::string& flag) const;
  std::optional<std::string> value(const std::string& flag) const;
  // Every value of a flag given more than once (`--set a=1 --set b=2`), in order.
  std::vector<std::string> values(const std::string& flag) const;
  std::string valueOr(const std::string& flag, const std::string& fallback) const;
  // Integer flag; InputError when it is not an integer or below `min`.
  int intOr(const std::string& flag, int fallback, int min = 0) const;
  // A switch written `--flag on` or `--flag off`.
  bool onOffOr(const std::string& flag, bool fallback) const;
  std::string requiredValue(const std::string& flag) const;
  // Number flag; InputError when it is not a number or not above `above`.
  std::optional<double> positiveDouble(const std::string& flag, double above = 0) const;

 private:
  std::vector<std::string> positional_;
  std::map<std::string, std::string> values_;  // the last value of each flag
  std::map<std::string, std::vector<std::string>> repeated_;
};

}  // namespace sn::cli
