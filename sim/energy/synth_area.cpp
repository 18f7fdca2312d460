#include "sim/energy/synth_area.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "numerics/error.hpp"

namespace nvfp4::sim {

std::optional<SynthArea> SynthArea::load(const std::string& path) {
  if (path.empty() || !std::filesystem::is_regular_file(path)) return std::nullopt;
  std::ifstream in(path);
  if (!in) throw Error(path + ": cannot read the synthesis results");
  SynthArea s;
  s.path_ = path;
  std::string line;
  int n = 0, col_config = -1, col_area = -1;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> cells;
    std::stringstream ss(line);
    for (std::string c; std::getline(ss, c, ',');) cells.push_back(c);
    if (col_config < 0) {
      for (int i = 0; i < static_cast<int>(cells.size()); ++i) {
        if (cells[i] == "config") col_config = i;
        if (cells[i] == "area_um2") col_area = i;
      }
      if (col_config < 0 || col_area < 0)
        throw Error(path + ":" + std::to_string(n) + ": header lacks 'config' or 'area_um2'");
      continue;
    }
    if (static_cast<int>(cells.size()) <= std::max(col_config, col_area))
      throw Error(path + ":" + std::to_string(n) + ": too few columns");
    char* end = nullptr;
    const double a = std::strtod(cells[col_area].c_str(), &end);
    if (*end != '\0' || a < 0) throw Error(path + ":" + std::to_string(n) + ": bad area_um2 '" + cells[col_area] + "'");
    s.area_[cells[col_config]] = a;
  }
  return s;
}

std::optional<double> SynthArea::area_um2(const std::string& config) const {
  auto it = area_.find(config);
  if (it == area_.end()) return std::nullopt;
  return it->second;
}

}  // namespace nvfp4::sim
