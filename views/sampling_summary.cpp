#include "views/sampling_summary.h"

#include <QObject>
#include <QStringList>

namespace sn {
namespace {

const std::string kSamplingPrefix = "sampling/";

}  // namespace

bool SamplingSummary::take(const std::vector<MetricSample>& rows) {
  bool any = false;
  for (const MetricSample& r : rows) {
    if (r.key.compare(0, kSamplingPrefix.size(), kSamplingPrefix) != 0) continue;
    latest_[r.key] = r.value;  // rows come in step order: the last wins
    any = true;
  }
  return any;
}

std::map<std::string, std::map<int, double>> SamplingSummary::group(const std::string& prefix) const {
  std::map<std::string, std::map<int, double>> out;
  for (auto it = latest_.lower_bound(prefix); it != latest_.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
    const std::string rest = it->first.substr(prefix.size());  // kernel/3
    const size_t slash = rest.find('/');
    if (slash == std::string::npos) continue;
    try {
      out[rest.substr(0, slash)][std::stoi(rest.substr(slash + 1))] = it->second;
    } catch (const std::exception&) {
      // Not a choice row: not ours to show.
    }
  }
  return out;
}

QString SamplingSummary::text() const {
  QStringList lines;
  const auto enabled = group(kSamplingPrefix + "enabled/");
  if (!enabled.empty()) {
    QStringList parts;
    for (const char* what : {"kernel", "depth", "expand"}) {
      const auto it = enabled.find(what);
      if (it == enabled.end()) continue;
      QStringList on;
      for (const auto& [choice, flag] : it->second) {
        if (flag > 0.5) on << QString::number(choice);
      }
      parts << QString("%1 %2").arg(what, on.join(", "));
    }
    const auto phase = latest_.find(kSamplingPrefix + "phase");
    const QString which = phase == latest_.end() ? QString() : QString(" (phase %1)").arg(phase->second);
    lines << QObject::tr("Enabled now%1: %2").arg(which, parts.join(" · "));
  }
  const auto shares = group(kSamplingPrefix + "share/");
  if (!shares.empty()) {
    QStringList parts;
    for (const char* what : {"kernel", "expand", "depth"}) {
      const auto it = shares.find(what);
      if (it == shares.end()) continue;
      QStringList each;
      for (const auto& [choice, share] : it->second) each << QString("%1 %2%").arg(choice).arg(100 * share, 0, 'f', 0);
      parts << QString("%1 %2").arg(what, each.join(" · "));
    }
    lines << QObject::tr("Sampled lately: %1").arg(parts.join("  |  "));
  }
  QStringList others;
  for (const auto& [key, value] : latest_) {
    const std::string rest = key.substr(kSamplingPrefix.size());
    if (rest.rfind("share/", 0) == 0 || rest.rfind("enabled/", 0) == 0 || rest == "phase") continue;
    others << QString("%1 %2").arg(QString::fromStdString(rest)).arg(value, 0, 'g', 3);
  }
  if (!others.isEmpty()) lines << QObject::tr("Method: %1").arg(others.join(" · "));
  return lines.join("\n");
}

}  // namespace sn
