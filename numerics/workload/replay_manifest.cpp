// The replay set's manifest (numerics/replay.hpp), read with libfccp.
#include <libfccp/csv.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "numerics/error.hpp"
#include "numerics/io/atomic_file.hpp"
#include "numerics/replay.hpp"

namespace nvfp4::replay {
namespace {

int64_t parse_int(const std::string& cell, const char* column, const std::string& where) {
  errno = 0;
  char* end = nullptr;
  const long long v = std::strtoll(cell.c_str(), &end, 10);
  if (cell.empty() || errno || *end != '\0') throw Error(where + ": column '" + column + "': '" + cell + "' is not an integer");
  return v;
}

}  // namespace

std::string layer_stem(size_t index, const std::string& name) {
  char idx[32];
  std::snprintf(idx, sizeof idx, "%03zu_", index);
  std::string safe;
  for (char ch : name) safe += (std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '.') ? ch : '_';
  return idx + safe;
}

void write_manifest(const std::string& path, const std::vector<Entry>& entries) {
  io_detail::write_atomically(path, [&](const std::string& tmp) {
    std::ofstream out(tmp);
    out << "# replay set written by nvfp4sim run --save-operands; replay: nvfp4-gpucheck --replay <this folder>\n";
    out << "index,name,M,N,K,policy,a,b,d\n";
    for (const Entry& e : entries)
      out << e.index << ",\"" << e.name << "\"," << e.M << ',' << e.N << ',' << e.K << ',' << e.policy << ',' << e.a
          << ',' << e.b << ',' << e.d << '\n';
    if (!out) throw Error(path + ": cannot write the manifest");
  });
}

std::vector<Entry> read_manifest(const std::string& dir) {
  const std::string path = (std::filesystem::path(dir) / kManifest).string();
  if (!std::filesystem::is_regular_file(path))
    throw Error(dir + ": not a replay set (no " + kManifest + "; write one with nvfp4sim run --save-operands)");
  std::vector<Entry> out;
  try {
    io::CSVReader<9, io::trim_chars<' ', '\t', '\r'>, io::double_quote_escape<',', '"'>, io::throw_on_overflow,
                  io::single_line_comment<'#'>>
        in(path);
    in.read_header(io::ignore_no_column, "index", "name", "M", "N", "K", "policy", "a", "b", "d");
    std::string c[9];
    while (in.read_row(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8])) {
      Entry e;
      e.where = path + ":" + std::to_string(in.get_file_line());
      e.index = parse_int(c[0], "index", e.where);
      e.name = c[1];
      e.M = parse_int(c[2], "M", e.where);
      e.N = parse_int(c[3], "N", e.where);
      e.K = parse_int(c[4], "K", e.where);
      if (e.M <= 0 || e.N <= 0 || e.K <= 0) throw Error(e.where + ": M, N and K must be > 0");
      e.policy = c[5];
      e.a = c[6];
      e.b = c[7];
      e.d = c[8];
      for (const std::string* f : {&e.a, &e.b, &e.d})
        if (!std::filesystem::is_regular_file(std::filesystem::path(dir) / *f))
          throw Error(e.where + ": layer '" + e.name + "': file '" + *f + "' is missing from " + dir);
      out.push_back(std::move(e));
    }
  } catch (const io::error::base& e) {
    throw Error(std::string("malformed replay manifest: ") + e.what());
  }
  if (out.empty()) throw Error(path + ": the replay set has no layers");
  return out;
}

}  // namespace nvfp4::replay
