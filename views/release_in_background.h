#pragma once
#include <QThreadPool>

#include <memory>

namespace sn {

// Frees a large result on a pool thread when this is its last owner: a comparison of
// 2 x 100k subnets is a few hundred thousand small strings, and freeing them held the UI
// thread for over 100 ms.
template <typename T>
void releaseInBackground(std::shared_ptr<T> p) {
  if (!p || p.use_count() > 1) return;
  QThreadPool::globalInstance()->start([p = std::move(p)]() mutable { p.reset(); });
}

}  // namespace sn
