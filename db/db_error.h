#pragma once
#include <stdexcept>
#include <string>

namespace sn {

// Any failure of the store. The message names the database file and what SQLite said.
class DbError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The database was written by a newer Supernet Studio; it is refused and left untouched.
class SchemaTooNewError : public DbError {
 public:
  using DbError::DbError;
};

}  // namespace sn
