// .npy reading and writing (NumPy format versions 1.0-3.0, C or Fortran order, the little-endian dtypes of npy.hpp).
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

#include "numerics/error.hpp"
#include "numerics/io/atomic_file.hpp"
#include "numerics/io/npy_header.hpp"
#include "numerics/npy.hpp"

namespace nvfp4 {
using npy_detail::NpyHeader;

int64_t NpyArray::size() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

namespace {

NpyArray array_from_header(const NpyHeader& h) {
  NpyArray a;
  a.dtype = h.dtype;
  a.shape = h.shape;
  return a;
}

void check_data_length(const NpyHeader& h, uint64_t present, const std::string& name) {
  if (present < h.data_bytes)
    throw Error(name + ": truncated .npy data: shape and dtype need " + std::to_string(h.data_bytes) +
                " bytes, the file holds " + std::to_string(present));
  if (present > h.data_bytes)
    throw Error(name + ": not a valid .npy file: " + std::to_string(present - h.data_bytes) +
                " unexpected bytes after the data");
}

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

}  // namespace

NpyArray parse_npy(const uint8_t* bytes, size_t n, const std::string& name) {
  const NpyHeader h = npy_detail::parse_npy_header(bytes, n, name);
  check_data_length(h, n - h.data_offset, name);
  NpyArray a = array_from_header(h);
  a.data.assign(bytes + h.data_offset, bytes + n);
  if (h.fortran_order) npy_detail::fortran_to_c_order(a, h.item_size);
  return a;
}

// Reads the header first and sizes the data from the real file length, so a lying header cannot make it allocate.
NpyArray read_npy(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw Error(path + ": is a directory, not a .npy file");
  std::unique_ptr<std::FILE, FileCloser> f(std::fopen(path.c_str(), "rb"));
  if (!f) throw Error(path + ": cannot open: " + std::strerror(errno));
  const uint64_t file_size = std::filesystem::file_size(path, ec);
  if (ec) throw Error(path + ": cannot read its size: " + ec.message());

  std::vector<uint8_t> head(std::min<uint64_t>(file_size, 12));
  if (std::fread(head.data(), 1, head.size(), f.get()) != head.size()) throw Error(path + ": read error");
  const size_t header_end = npy_detail::npy_header_end(head.data(), head.size(), path);
  if (header_end > file_size)
    throw Error(path + ": not a valid .npy file: truncated header: " + std::to_string(header_end) +
                " bytes announced, " + std::to_string(file_size) + " present");
  const size_t already = head.size();
  head.resize(header_end);  // when header_end < 12 the header is too short to be valid and parsing throws below
  if (header_end > already &&
      std::fread(head.data() + already, 1, header_end - already, f.get()) != header_end - already)
    throw Error(path + ": read error");
  const NpyHeader h = npy_detail::parse_npy_header(head.data(), head.size(), path);
  check_data_length(h, file_size - h.data_offset, path);

  // A valid header is at least the 12 bytes of the first read, so the data begins at the current file position.
  NpyArray a = array_from_header(h);
  a.data.resize(h.data_bytes);
  const size_t rest = a.data.size();
  if (rest > 0 && std::fread(a.data.data(), 1, rest, f.get()) != rest)
    throw Error(path + ": read error (file changed while reading?)");
  if (h.fortran_order) npy_detail::fortran_to_c_order(a, h.item_size);
  return a;
}

void write_npy(const std::string& path, const NpyArray& a) {
  npy_detail::validate_array(a, path);
  const std::vector<uint8_t> header = npy_detail::serialize_npy_header(a);
  io_detail::write_bytes_atomically(path, {header, a.data});
}

namespace npy_detail {

NpyArray parse_npy_owned(std::vector<uint8_t>&& bytes, const std::string& name) {
  const NpyHeader h = parse_npy_header(bytes.data(), bytes.size(), name);
  check_data_length(h, bytes.size() - h.data_offset, name);
  NpyArray a = array_from_header(h);
  bytes.erase(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(h.data_offset));  // no reallocation
  a.data = std::move(bytes);
  if (h.fortran_order) fortran_to_c_order(a, h.item_size);
  return a;
}

}  // namespace npy_detail

}  // namespace nvfp4
