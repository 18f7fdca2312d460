#include "sim/run/progress_bar.hpp"

#include <unistd.h>

#include <cstdio>

namespace nvfp4::sim {

ProgressBar::ProgressBar(size_t total, bool wanted) : total_(total), on_(wanted && isatty(STDERR_FILENO)) {}

void ProgressBar::update(size_t done, const std::string& label) {
  if (!on_ || total_ == 0) return;
  const int width = 30, filled = static_cast<int>(width * done / total_);
  std::fprintf(stderr, "\r[%.*s%*s] %zu/%zu %-24.24s", filled, "##############################", width - filled, "",
               done, total_, label.c_str());
  std::fflush(stderr);
}

void ProgressBar::finish() {
  if (on_) std::fprintf(stderr, "\r%*s\r", 72, "");
}

}  // namespace nvfp4::sim
