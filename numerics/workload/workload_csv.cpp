// The workload tables (numerics/workload.hpp), read with libfccp.
#include <libfccp/csv.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>

#include "numerics/error.hpp"
#include "numerics/workload.hpp"
#include "numerics/memory_budget.hpp"

namespace nvfp4::workload {
namespace {

using Reader = io::CSVReader<16, io::trim_chars<' ', '\t', '\r'>, io::double_quote_escape<',', '"'>,
                             io::throw_on_overflow, io::single_line_comment<'#'>>;

std::string at(const std::string& path, unsigned line) { return path + ":" + std::to_string(line); }

int64_t parse_int(const std::string& cell, const std::string& column, const std::string& where, bool required) {
  if (cell.empty()) {
    if (required) throw Error(where + ": column '" + column + "' is empty");
    return 0;
  }
  errno = 0;
  char* end = nullptr;
  const long long v = std::strtoll(cell.c_str(), &end, 10);
  if (errno || *end != '\0') throw Error(where + ": column '" + column + "': '" + cell + "' is not an integer");
  return v;
}

// Every size column is at most 2^40: far beyond any layer, and small enough that sums such as ifmap + 2 x padding
// cannot overflow; the products are checked in check_layer_size.
constexpr int64_t kMaxDimension = int64_t{1} << 40;

void require_positive(int64_t v, const std::string& column, const std::string& where) {
  if (v <= 0) throw Error(where + ": column '" + column + "' must be > 0, got " + std::to_string(v));
  if (v > kMaxDimension)
    throw Error(where + ": column '" + column + "' = " + std::to_string(v) + " is larger than 2^40");
}

// The products the simulator forms (operand and output element counts, MACs) fit in 64 bits; whether they fit in
// memory is the simulator's check (Simulation::validate, against the memory budget).
void check_layer_size(const Layer& l) {
  const std::string what = l.where + ": layer '" + l.name + "'";
  checked_product({l.M, l.K}, what + ": activations M x K");
  checked_product({l.N, l.K}, what + ": weights N x K");
  checked_product({l.M, l.N}, what + ": outputs M x N");
  checked_product({l.M, l.N, l.K}, what + ": MACs M x N x K");
  if (l.kind == Layer::Kind::Conv)
    checked_product({l.conv.batch, l.conv.ifmap_h, l.conv.ifmap_w, l.conv.channels}, what + ": input feature map");
}

void finish_conv(Layer& l, bool scalesim_lowering) {
  ConvShape& c = l.conv;
  require_positive(c.batch, "batch", l.where);
  require_positive(c.ifmap_h, "ifmap_h", l.where);
  require_positive(c.ifmap_w, "ifmap_w", l.where);
  require_positive(c.channels, "channels", l.where);
  require_positive(c.filter_h, "filter_h", l.where);
  require_positive(c.filter_w, "filter_w", l.where);
  require_positive(c.num_filters, "num_filters", l.where);
  require_positive(c.stride, "stride", l.where);
  if (c.padding < 0 || c.padding > kMaxDimension)
    throw Error(l.where + ": column 'padding' must be in [0, 2^40], got " + std::to_string(c.padding));
  const int64_t h = c.ifmap_h + 2 * c.padding, w = c.ifmap_w + 2 * c.padding;
  if (c.filter_h > h || c.filter_w > w)
    throw Error(l.where + ": filter " + std::to_string(c.filter_h) + "x" + std::to_string(c.filter_w) +
                " is larger than the padded input " + std::to_string(h) + "x" + std::to_string(w));
  if (scalesim_lowering) {  // SCALE-Sim topology_utils.py: ceil((H - R + s) / s)
    c.ofmap_h = (h - c.filter_h + c.stride + c.stride - 1) / c.stride;
    c.ofmap_w = (w - c.filter_w + c.stride + c.stride - 1) / c.stride;
  } else {
    c.ofmap_h = (h - c.filter_h) / c.stride + 1;
    c.ofmap_w = (w - c.filter_w) / c.stride + 1;
  }
  l.M = checked_product({c.batch, c.ofmap_h, c.ofmap_w}, l.where + ": M = batch x output pixels");
  l.N = c.num_filters;
  l.K = checked_product({c.filter_h, c.filter_w, c.channels}, l.where + ": K = filter_h x filter_w x channels");
}

std::string first_cell(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error(path + ": cannot read the workload file");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto comma = line.find(',');
    std::string c = line.substr(0, comma);
    while (!c.empty() && (c.back() == ' ' || c.back() == '\r')) c.pop_back();
    while (!c.empty() && c.front() == ' ') c.erase(c.begin());
    return c;
  }
  throw Error(path + ": empty workload file (no header)");
}

std::vector<Layer> read_native(const std::string& path) {
  Reader in(path);
  in.read_header(io::ignore_missing_column, "name", "type", "M", "N", "K", "batch", "ifmap_h", "ifmap_w", "channels",
                 "filter_h", "filter_w", "num_filters", "stride", "padding", "activations", "weights");
  // Without a type column every row is a GEMM (the `name,M,N,K` table of nvfp4-gpucheck and the sweeps).
  const bool typed = in.has_column("type");
  if (!typed && !(in.has_column("M") && in.has_column("N") && in.has_column("K")))
    throw Error(path + ": the header needs a 'type' column, or M, N and K columns (a name,M,N,K table)");
  std::string cells[16];
  const char* names[16] = {"name", "type", "M", "N", "K", "batch", "ifmap_h", "ifmap_w", "channels",
                           "filter_h", "filter_w", "num_filters", "stride", "padding", "activations", "weights"};
  std::vector<Layer> layers;
  while (in.read_row(cells[0], cells[1], cells[2], cells[3], cells[4], cells[5], cells[6], cells[7], cells[8],
                     cells[9], cells[10], cells[11], cells[12], cells[13], cells[14], cells[15])) {
    Layer l;
    l.where = at(path, in.get_file_line());
    l.name = cells[0];
    if (l.name.empty()) throw Error(l.where + ": column 'name' is empty");
    auto num = [&](int i, bool req) { return parse_int(cells[i], names[i], l.where, req); };
    if (!typed) cells[1] = "gemm";
    if (cells[1] == "gemm") {
      l.kind = Layer::Kind::Gemm;
      l.M = num(2, true);
      l.N = num(3, true);
      l.K = num(4, true);
      require_positive(l.M, "M", l.where);
      require_positive(l.N, "N", l.where);
      require_positive(l.K, "K", l.where);
    } else if (cells[1] == "conv") {
      l.kind = Layer::Kind::Conv;
      ConvShape& c = l.conv;
      c.batch = cells[5].empty() ? 1 : num(5, true);
      c.ifmap_h = num(6, true);
      c.ifmap_w = num(7, true);
      c.channels = num(8, true);
      c.filter_h = num(9, true);
      c.filter_w = num(10, true);
      c.num_filters = num(11, true);
      c.stride = cells[12].empty() ? 1 : num(12, true);
      c.padding = num(13, false);
      finish_conv(l, false);
    } else {
      throw Error(l.where + ": column 'type': '" + cells[1] + "' is not gemm or conv");
    }
    l.activations = cells[14];
    l.weights = cells[15];
    layers.push_back(std::move(l));
  }
  return layers;
}

using ScaleSimReader = io::CSVReader<8, io::trim_chars<' ', '\t', '\r'>, io::no_quote_escape<','>,
                                     io::throw_on_overflow, io::single_line_comment<'#'>>;

std::vector<Layer> read_scalesim_conv(const std::string& path) {
  ScaleSimReader in(path);
  in.read_header(io::ignore_extra_column, "Layer name", "IFMAP Height", "IFMAP Width", "Filter Height", "Filter Width",
                 "Channels", "Num Filter", "Strides");
  std::string c[8];
  std::vector<Layer> layers;
  while (in.read_row(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7])) {
    Layer l;
    l.where = at(path, in.get_file_line());
    l.name = c[0];
    l.kind = Layer::Kind::Conv;
    l.conv.ifmap_h = parse_int(c[1], "IFMAP Height", l.where, true);
    l.conv.ifmap_w = parse_int(c[2], "IFMAP Width", l.where, true);
    l.conv.filter_h = parse_int(c[3], "Filter Height", l.where, true);
    l.conv.filter_w = parse_int(c[4], "Filter Width", l.where, true);
    l.conv.channels = parse_int(c[5], "Channels", l.where, true);
    l.conv.num_filters = parse_int(c[6], "Num Filter", l.where, true);
    l.conv.stride = parse_int(c[7], "Strides", l.where, true);
    finish_conv(l, true);
    layers.push_back(std::move(l));
  }
  return layers;
}

std::vector<Layer> read_scalesim_gemm(const std::string& path) {
  io::CSVReader<4, io::trim_chars<' ', '\t', '\r'>, io::no_quote_escape<','>, io::throw_on_overflow,
                io::single_line_comment<'#'>>
      in(path);
  in.read_header(io::ignore_extra_column, "Layer", "M", "N", "K");
  std::string c[4];
  std::vector<Layer> layers;
  while (in.read_row(c[0], c[1], c[2], c[3])) {
    Layer l;
    l.where = at(path, in.get_file_line());
    l.name = c[0];
    l.M = parse_int(c[1], "M", l.where, true);
    l.N = parse_int(c[2], "N", l.where, true);
    l.K = parse_int(c[3], "K", l.where, true);
    require_positive(l.M, "M", l.where);
    require_positive(l.N, "N", l.where);
    require_positive(l.K, "K", l.where);
    layers.push_back(std::move(l));
  }
  return layers;
}

}  // namespace

std::vector<Layer> read_csv(const std::string& path) {
  const std::string head = first_cell(path);
  std::vector<Layer> layers;
  try {
    if (head == "name") layers = read_native(path);
    else if (head == "Layer name") layers = read_scalesim_conv(path);
    else if (head == "Layer") layers = read_scalesim_gemm(path);
    else
      throw Error(path + ": unknown workload header starting with '" + head +
                  "' (expected 'name,type,...', 'name,M,N,K', SCALE-Sim 'Layer name, IFMAP Height, ...' or 'Layer, M, N, K')");
  } catch (const io::error::base& e) {
    throw Error(std::string("malformed workload CSV: ") + e.what());
  }
  if (layers.empty()) throw Error(path + ": the workload has no layers");
  for (const Layer& l : layers) check_layer_size(l);
  return layers;
}

}  // namespace nvfp4::workload
