#pragma once
#include <QList>
#include <QPointF>
#include <QVector>

namespace sn {

// What a line chart draws of a long series: the points with x in [xMin, xMax] (plus one on
// each side, so the line reaches the edges), reduced to at most 2 x `buckets` + 2 points by
// keeping the minimum and maximum of each x bucket in their original order. Spikes survive,
// which plain every-Nth sampling would drop. `points` must be sorted by x.
QList<QPointF> decimateMinMax(const QVector<QPointF>& points, double xMin, double xMax,
                              int buckets);

}  // namespace sn
