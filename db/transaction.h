#pragma once

namespace sn {

class Database;

// BEGIN IMMEDIATE on construction; rolls back in the destructor unless commit() was called,
// so an exception half-way through a batch leaves the database as it was.
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Database& db_;
  bool done_ = false;
};

}  // namespace sn
