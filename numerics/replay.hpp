// A replay set: the operands a run actually computed on and its outputs, written by `nvfp4sim run --save-operands`
// and replayed by `nvfp4-gpucheck --replay` (docs/workloads.md, "Replay sets"). One folder:
//   manifest.csv            one row per layer: index,name,M,N,K,policy,a,b,d (file names relative to the folder)
//   NNN_<name>.a.npz / .b.npz  the stored operands (numerics' quantized-tensor file, faults included)
//   NNN_<name>.d.npy        the run's float32 M x N output
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace nvfp4::replay {

struct Entry {
  int64_t index = 0;
  std::string name;
  int64_t M = 0, N = 0, K = 0;
  std::string policy;     // accumulation policy name (AccumPolicy::parse accepts it)
  std::string a, b, d;    // file names, relative to the folder
  std::string where;      // "manifest.csv:line"
};

inline constexpr const char* kManifest = "manifest.csv";

// "NNN_<name>" with characters other than [A-Za-z0-9.-] replaced by '_': the file stem of layer `index`.
std::string layer_stem(size_t index, const std::string& name);

// Writes the manifest atomically (temporary file + rename).
void write_manifest(const std::string& path, const std::vector<Entry>& entries);
// Reads and checks a manifest (columns, sizes > 0, files present); throws nvfp4::Error naming file and line.
std::vector<Entry> read_manifest(const std::string& dir);

}  // namespace nvfp4::replay
