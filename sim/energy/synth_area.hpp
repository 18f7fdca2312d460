// Area figures from the Yosys synthesis of the RTL (rtl_models/synth/results.csv: config,top,params,area_um2,...),
// used instead of the technology table's area when the file is present (docs/sim.md, "Energy and area").
#pragma once
#include <map>
#include <optional>
#include <string>

namespace nvfp4::sim {

class SynthArea {
 public:
  // Empty when the file does not exist; nvfp4::Error naming the line when it exists but is malformed.
  static std::optional<SynthArea> load(const std::string& path);
  std::optional<double> area_um2(const std::string& config) const;  // by the `config` column
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::map<std::string, double> area_;
};

}  // namespace nvfp4::sim
