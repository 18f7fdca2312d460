// nvfp4-lut-gen: writes every generated table file (C++ header, $readmemh images) under --root (the repository).
// Usage: nvfp4-lut-gen --root DIR      (each file is written to a temporary name, then renamed)
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "lut/tables.hpp"
#include "numerics/error.hpp"

namespace fs = std::filesystem;

static int run(int argc, char** argv) {
  std::string root;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--root" && i + 1 < argc) {
      root = argv[++i];
    } else if (arg == "--help" || arg == "-h") {
      std::cout << "usage: nvfp4-lut-gen --root REPO_DIR\n";
      return 0;
    } else {
      throw nvfp4::Error("unknown option '" + arg + "' (usage: nvfp4-lut-gen --root REPO_DIR)");
    }
  }
  if (root.empty()) throw nvfp4::Error("missing option --root REPO_DIR");
  if (!fs::is_directory(fs::path(root) / "lut")) throw nvfp4::Error("--root: '" + root + "' has no lut/ folder");
  for (const auto& [rel, text] : nvfp4::lut::render_generated_files()) {
    const fs::path dst = fs::path(root) / rel;
    fs::create_directories(dst.parent_path());
    const fs::path tmp = dst.string() + ".tmp";
    {
      std::ofstream f(tmp, std::ios::binary);
      f << text;
      if (!f) throw nvfp4::Error("cannot write '" + tmp.string() + "'");
    }
    fs::rename(tmp, dst);
    std::cout << "wrote " << rel << "\n";
  }
  return 0;
}

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  }
}
