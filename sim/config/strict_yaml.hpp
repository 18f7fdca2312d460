// A YAML mapping read strictly: every key is declared where it is read (required or with a default, plus a one-line
// description), unknown, repeated and missing required keys are nvfp4::Error naming the file and the full key path, and
// every value read (defaults included) is echoed into a "resolved" node that runs write back as resolved_config.yaml.
#pragma once
#include <yaml-cpp/yaml.h>

#include <set>
#include <string>

#include "numerics/error.hpp"

namespace nvfp4::sim {

class StrictMap {
 public:
  // `node` must be a mapping (or null: an absent section, read with defaults only). `path` is the dotted key prefix.
  StrictMap(YAML::Node node, std::string file, std::string path, YAML::Node resolved);

  template <typename T>
  T required(const std::string& key, const char* description) {
    YAML::Node v = lookup(key);
    if (!v) fail(key, std::string("missing required key (") + description + ")");
    return convert<T>(key, v);
  }
  template <typename T>
  T optional(const std::string& key, const T& fallback, const char* /*description*/) {
    YAML::Node v = lookup(key);
    if (!v) {
      resolved_[key] = fallback;
      return fallback;
    }
    return convert<T>(key, v);
  }
  // A nested mapping; `must_exist` makes its absence an error.
  StrictMap child(const std::string& key, bool must_exist);
  bool has(const std::string& key) const { return node_ && node_.IsMap() && node_[key]; }
  // Throws naming the first key that was never read.
  void finish() const;
  [[noreturn]] void fail(const std::string& key, const std::string& why) const;
  std::string key_path(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }
  const std::string& file() const { return file_; }

 private:
  YAML::Node lookup(const std::string& key);
  void reject_duplicate_keys() const;
  template <typename T>
  T convert(const std::string& key, const YAML::Node& v) {
    if (!v.IsScalar()) fail(key, "expected a single value");
    try {
      T out = v.as<T>();
      resolved_[key] = v.Scalar();  // echo the text as written (no float re-printing)
      return out;
    } catch (const YAML::Exception&) {
      fail(key, "cannot read '" + v.Scalar() + "' as the expected type");
    }
  }

  YAML::Node node_;
  std::string file_;
  std::string path_;
  YAML::Node resolved_;
  std::set<std::string> used_;
};

}  // namespace nvfp4::sim
