// The values of the two keys looked up last, most recent first: a layer's folds repeat a few burst sizes (a fold
// reads what a tile fill wrote, the scales bank and the off-chip port alternate two), so the banks and the port keep
// each burst's cost here instead of recomputing divisions and sc_times ~10^6 times per ResNet-18 run.
#pragma once
#include <utility>

namespace nvfp4::sim {

template <class Key, class Value>
class RecentTwo {
 public:
  // Both entries start as (key, value), so the first lookups need no "empty" state.
  RecentTwo(const Key& key, const Value& value) : entries_{{key, value}, {key, value}} {}

  // The value for key: remembered, or make(key) remembered in place of the older entry.
  template <class Make>
  const Value& get(const Key& key, Make&& make) {
    if (!(entries_[0].first == key)) {
      if (entries_[1].first == key) {
        std::swap(entries_[0], entries_[1]);
      } else {
        entries_[1] = std::move(entries_[0]);
        entries_[0] = {key, make(key)};
      }
    }
    return entries_[0].second;
  }

 private:
  std::pair<Key, Value> entries_[2];
};

}  // namespace nvfp4::sim
