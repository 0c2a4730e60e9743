#pragma once

namespace sn {

class Database;

// The schema version this build writes. Bump it by appending a step in migrations.cpp.
constexpr int kSchemaVersion = 6;

// Brings the database up to kSchemaVersion (tests: to `upTo`, to make an older file), one
// step per transaction together with its PRAGMA user_version bump. A database of a newer
// version throws SchemaTooNewError before anything is written.
void migrate(Database& db, int upTo = kSchemaVersion);

// Throws SchemaTooNewError when the file's user_version is above kSchemaVersion.
void refuseNewerSchema(Database& db);

}  // namespace sn
