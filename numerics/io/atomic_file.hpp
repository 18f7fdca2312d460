// Internal: write a file under a temporary name and rename it into place only when complete, so that a failed or
// interrupted write never leaves a file that looks finished.
#pragma once
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

namespace nvfp4::io_detail {

// Calls `write(tmp_path)`, then renames tmp_path to `path`. On any exception the temporary file is removed and the
// exception propagates; `path` is untouched.
void write_atomically(const std::string& path, const std::function<void(const std::string& tmp_path)>& write);

// Writes the pieces, one after the other, to `path` atomically; throws nvfp4::Error naming the file on an I/O failure.
void write_bytes_atomically(const std::string& path,
                            std::initializer_list<std::reference_wrapper<const std::vector<uint8_t>>> pieces);

// The whole content of a file; throws nvfp4::Error naming the file when it cannot be read.
std::vector<uint8_t> read_whole_file(const std::string& path);

}  // namespace nvfp4::io_detail
