#pragma once
#include <string_view>

namespace sn {

// Where a stored subnet's accuracy came from (subnets.source; the names are the column's
// CHECK values). Evaluated: measured on the validation set; Predicted: the accuracy
// predictor's guess, never measured; Searched: a search result, then measured. Pruning rows:
// OneShot (a dense run's subnet magnitude-pruned once), OneShotFinetuned (then fine-tuned),
// Retrained (a ticket fine-tuned with its pruned weights kept at zero).
enum class SubnetSource { Evaluated, Predicted, Searched, OneShot, OneShotFinetuned, Retrained };

constexpr int kSubnetSourceCount = 6;

const char* subnetSourceName(SubnetSource source);
// Throws DbError naming the text when it is none of the names above.
SubnetSource parseSubnetSource(std::string_view name);
// Every source but Predicted carries an accuracy that was measured.
inline bool isMeasured(SubnetSource source) { return source != SubnetSource::Predicted; }

}  // namespace sn
