// A fresh temporary folder per test, removed at the end (tests never write into the source tree).
#pragma once
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

namespace ecc_test {

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::random_device rd;
    path = std::filesystem::temp_directory_path() / ("nvfp4-ecc-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::string write(const std::string& name, const std::string& text) const {
    const auto p = path / name;
    std::ofstream(p) << text;
    return p.string();
  }
  std::string file(const std::string& name) const { return (path / name).string(); }
};

}  // namespace ecc_test
