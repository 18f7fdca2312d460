// A one-line progress bar on stderr, drawn only when stderr is a terminal (pipes and CI logs stay clean).
#pragma once
#include <cstddef>
#include <string>

namespace nvfp4::sim {

class ProgressBar {
 public:
  ProgressBar(size_t total, bool wanted);
  void update(size_t done, const std::string& label);
  void finish();

 private:
  size_t total_;
  bool on_;
};

}  // namespace nvfp4::sim
