// `nvfp4sim registry --json | --markdown`: every registry of the project in one document (docs/DEVELOPING.md,
// "Registries"). Each table is read from its owning C++ library (lut/ multiplier styles and weight formats, ecc/
// layouts, codes and modes, sim/ dataflows, numerics/ schemes, recipes, roundings and accumulation policies); this
// file only formats them. The committed copies docs/registry.json and docs/registry.md are checked by the test
// `registry_committed`; scripts (rtl_models/synth, the Python package) read docs/registry.json.
#pragma once
#include <string>

namespace nvfp4::sim {

std::string registry_json();
std::string registry_markdown();

}  // namespace nvfp4::sim
