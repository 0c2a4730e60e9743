#pragma once
#include <stdexcept>
#include <string>

namespace sn {

// Bad input from the user: a file, a value or an option that cannot be used as given.
// The message names the thing and the problem; the CLI prints it and exits with code 2.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace sn
