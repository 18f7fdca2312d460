// .npz = a zip archive of .npy members named "<key>.npy", stored (np.savez) or deflated (np.savez_compressed).
// Reading goes through libzip with every claimed size checked against the archive's real length; writing stores
// members uncompressed with a fixed timestamp, so the same arrays always give the same bytes.
#include <zip.h>

#include <memory>

#include "numerics/error.hpp"
#include "numerics/io/atomic_file.hpp"
#include "numerics/io/npy_header.hpp"
#include "numerics/io/npz_memory.hpp"
#include "numerics/npy.hpp"

namespace nvfp4 {
namespace {

// Deflate cannot expand data by more than 1032:1; a member claiming more is lying.
constexpr uint64_t kMaxDeflateRatio = 1032;
// Fixed member timestamp (1980-01-01, the zip epoch) so that output files are reproducible.
constexpr time_t kFixedMtime = 315532800;

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};
using ZipPtr = std::unique_ptr<zip_t, ZipCloser>;
struct ZipFileCloser {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};

std::string zip_error_text(int code) {
  zip_error_t e;
  zip_error_init_with_code(&e, code);
  std::string s = zip_error_strerror(&e);
  zip_error_fini(&e);
  return s;
}

std::vector<uint8_t> read_member(zip_t* z, zip_uint64_t index, const zip_stat_t& st, uint64_t archive_size,
                                 const std::string& where) {
  if (!(st.valid & ZIP_STAT_SIZE) || !(st.valid & ZIP_STAT_COMP_SIZE))
    throw Error(where + ": sizes missing from the zip directory");
  if (st.comp_size > archive_size)
    throw Error(where + ": compressed size " + std::to_string(st.comp_size) + " exceeds the archive length");
  if (st.size > st.comp_size * kMaxDeflateRatio + 1024)
    throw Error(where + ": claimed size " + std::to_string(st.size) + " is impossible for its compressed size " +
                std::to_string(st.comp_size));
  std::unique_ptr<zip_file_t, ZipFileCloser> f(zip_fopen_index(z, index, 0));
  if (!f) throw Error(where + ": cannot open member: " + zip_strerror(z));
  std::vector<uint8_t> bytes(st.size);
  zip_uint64_t got = 0;
  while (got < st.size) {
    const zip_int64_t r = zip_fread(f.get(), bytes.data() + got, st.size - got);
    if (r < 0) throw Error(where + ": corrupt member: " + zip_file_strerror(f.get()));
    if (r == 0) break;
    got += static_cast<zip_uint64_t>(r);
  }
  if (got != st.size)
    throw Error(where + ": truncated member: " + std::to_string(got) + " of " + std::to_string(st.size) + " bytes");
  uint8_t extra = 0;
  const zip_int64_t r = zip_fread(f.get(), &extra, 1);  // also makes libzip check the CRC at the end
  if (r != 0) throw Error(where + ": corrupt member (data longer than its size, or CRC mismatch)");
  return bytes;
}

std::map<std::string, NpyArray> read_archive(zip_t* z, uint64_t archive_size, const std::string& name) {
  const zip_int64_t entries = zip_get_num_entries(z, 0);
  if (entries < 0) throw Error(name + ": cannot list the archive");
  std::map<std::string, NpyArray> arrays;
  for (zip_int64_t i = 0; i < entries; ++i) {
    zip_stat_t st;
    if (zip_stat_index(z, static_cast<zip_uint64_t>(i), 0, &st) != 0 || !(st.valid & ZIP_STAT_NAME))
      throw Error(name + ": cannot read zip entry " + std::to_string(i) + ": " + zip_strerror(z));
    const std::string member = st.name;
    const std::string where = name + ": member '" + member + "'";
    if (member.size() < 5 || member.compare(member.size() - 4, 4, ".npy") != 0)
      throw Error(where + " is not a .npy array (a .npz holds only <name>.npy members)");
    const std::string key = member.substr(0, member.size() - 4);
    if (arrays.count(key)) throw Error(where + " appears twice");
    std::vector<uint8_t> bytes = read_member(z, static_cast<zip_uint64_t>(i), st, archive_size, where);
    arrays.emplace(key, npy_detail::parse_npy_owned(std::move(bytes), name + ":" + member));
  }
  return arrays;
}

}  // namespace

namespace npz_detail {

std::map<std::string, NpyArray> parse_npz(const uint8_t* bytes, size_t n, const std::string& name) {
  // 22 bytes = the end-of-central-directory record alone; libzip would open an empty input as a new, empty archive.
  if (n < 22) throw Error(name + ": not a valid .npz (zip) file: only " + std::to_string(n) + " bytes");
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(bytes, n, 0, &err);
  if (!src) {
    zip_error_fini(&err);
    throw Error(name + ": cannot read archive");
  }
  zip_t* raw = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err);
  if (!raw) {
    zip_source_free(src);
    const std::string why = zip_error_strerror(&err);
    zip_error_fini(&err);
    throw Error(name + ": not a valid .npz (zip) file: " + why);
  }
  zip_error_fini(&err);
  ZipPtr z(raw);
  return read_archive(z.get(), n, name);
}

}  // namespace npz_detail

std::map<std::string, NpyArray> read_npz(const std::string& path) {
  // The whole archive in memory: its real length bounds every size a member claims.
  const std::vector<uint8_t> bytes = io_detail::read_whole_file(path);
  return npz_detail::parse_npz(bytes.data(), bytes.size(), path);
}

void write_npz(const std::string& path, const std::map<std::string, NpyArray>& arrays) {
  std::vector<std::vector<uint8_t>> images;  // must outlive zip_close, which reads them
  images.reserve(arrays.size());
  for (const auto& [key, a] : arrays) {
    if (key.empty() || key.find('/') != std::string::npos)
      throw Error(path + ": invalid member name '" + key + "'");
    npy_detail::validate_array(a, path + ":" + key);
    images.push_back(npy_detail::serialize_npy(a));
  }
  io_detail::write_atomically(path, [&](const std::string& tmp) {
    int code = 0;
    ZipPtr z(zip_open(tmp.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &code));
    if (!z) throw Error(path + ": cannot create: " + zip_error_text(code));
    size_t i = 0;
    for (const auto& [key, a] : arrays) {
      const std::vector<uint8_t>& img = images[i++];
      zip_source_t* src = zip_source_buffer(z.get(), img.data(), img.size(), 0);
      if (!src) throw Error(path + ": " + zip_strerror(z.get()));
      const zip_int64_t idx = zip_file_add(z.get(), (key + ".npy").c_str(), src, ZIP_FL_ENC_UTF_8);
      if (idx < 0) {
        zip_source_free(src);
        throw Error(path + ": cannot add '" + key + "': " + zip_strerror(z.get()));
      }
      if (zip_set_file_compression(z.get(), static_cast<zip_uint64_t>(idx), ZIP_CM_STORE, 0) != 0 ||
          zip_file_set_mtime(z.get(), static_cast<zip_uint64_t>(idx), kFixedMtime, 0) != 0)
        throw Error(path + ": " + zip_strerror(z.get()));
    }
    if (zip_close(z.get()) != 0) throw Error(path + ": cannot write: " + zip_strerror(z.get()));
    (void)z.release();  // zip_close freed it
  });
}

bool npz_supported() { return true; }

}  // namespace nvfp4
