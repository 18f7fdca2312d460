#include "numerics/io/atomic_file.hpp"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "numerics/error.hpp"

namespace nvfp4::io_detail {

void write_atomically(const std::string& path, const std::function<void(const std::string&)>& write) {
  static std::atomic<unsigned> counter{0};
  const std::string tmp = path + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
  try {
    write(tmp);
  } catch (...) {
    std::remove(tmp.c_str());
    throw;
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    std::remove(tmp.c_str());
    throw Error(path + ": cannot write: " + why);
  }
}

void write_bytes_atomically(const std::string& path,
                            std::initializer_list<std::reference_wrapper<const std::vector<uint8_t>>> pieces) {
  write_atomically(path, [&](const std::string& tmp) {
    std::FILE* f = std::fopen(tmp.c_str(), "wb");
    if (!f) throw Error(path + ": cannot create: " + std::strerror(errno));
    bool ok = true;
    for (const std::vector<uint8_t>& bytes : pieces)
      ok = ok && (bytes.empty() || std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size());
    ok = ok && std::fflush(f) == 0;
    const int err = errno;
    if (std::fclose(f) != 0 || !ok) throw Error(path + ": write failed: " + std::strerror(err));
  });
}

std::vector<uint8_t> read_whole_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw Error(path + ": is a directory, not a file");
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw Error(path + ": cannot open: " + std::strerror(errno));
  std::vector<uint8_t> bytes;
  if (const auto size = std::filesystem::file_size(path, ec); !ec) bytes.reserve(size);
  uint8_t chunk[1 << 16];
  size_t got = 0;
  while ((got = std::fread(chunk, 1, sizeof chunk, f)) > 0) bytes.insert(bytes.end(), chunk, chunk + got);
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) throw Error(path + ": read error");
  return bytes;
}

}  // namespace nvfp4::io_detail
