#include "sim/config/strict_yaml.hpp"

#include <map>

namespace nvfp4::sim {

StrictMap::StrictMap(YAML::Node node, std::string file, std::string path, YAML::Node resolved)
    : node_(node), file_(std::move(file)), path_(std::move(path)), resolved_(resolved) {
  if (node_ && !node_.IsNull() && !node_.IsMap())
    throw Error(file_ + ": key '" + (path_.empty() ? std::string("<top>") : path_) + "': expected a mapping");
  reject_duplicate_keys();
}

// yaml-cpp keeps both entries of a repeated key and returns the first on lookup, so a second value would be ignored
// silently: refuse it, naming the key and both lines.
void StrictMap::reject_duplicate_keys() const {
  if (!node_ || !node_.IsMap()) return;
  std::map<std::string, int> first_line;
  for (const auto& kv : node_) {
    if (!kv.first.IsScalar()) fail("<key>", "a key must be a single value");
    const std::string k = kv.first.Scalar();
    const int line = kv.first.Mark().line + 1;
    const auto [it, fresh] = first_line.emplace(k, line);
    if (!fresh)
      fail(k, "duplicate key (lines " + std::to_string(it->second) + " and " + std::to_string(line) +
                  "); give each key once");
  }
}

YAML::Node StrictMap::lookup(const std::string& key) {
  used_.insert(key);
  if (!node_ || !node_.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
  YAML::Node v = node_[key];
  if (v && v.IsNull()) return YAML::Node(YAML::NodeType::Undefined);
  return v;
}

StrictMap StrictMap::child(const std::string& key, bool must_exist) {
  YAML::Node v = lookup(key);
  if (!v && must_exist) fail(key, "missing required section");
  resolved_[key] = YAML::Node(YAML::NodeType::Map);
  YAML::Node sub = resolved_[key];
  return StrictMap(v ? v : YAML::Node(), file_, key_path(key), sub);
}

void StrictMap::finish() const {
  if (!node_ || !node_.IsMap()) return;
  for (const auto& kv : node_) {
    const std::string k = kv.first.as<std::string>();
    if (!used_.count(k)) fail(k, "unknown key");
  }
}

void StrictMap::fail(const std::string& key, const std::string& why) const {
  throw Error(file_ + ": key '" + key_path(key) + "': " + why);
}

}  // namespace nvfp4::sim
