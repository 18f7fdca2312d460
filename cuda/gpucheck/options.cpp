#include "cuda/gpucheck/options.hpp"

#include <cstdio>

#include "numerics/error.hpp"

namespace nvfp4::gpucheck {
namespace {

int64_t parse_int(const std::string& opt, const std::string& v, int64_t lo) {
  size_t used = 0;
  long long x = 0;
  try {
    x = std::stoll(v, &used, 0);
  } catch (...) {
    used = 0;
  }
  if (used == 0 || used != v.size()) throw Error("option " + opt + ": '" + v + "' is not an integer");
  if (x < lo) throw Error("option " + opt + ": must be >= " + std::to_string(lo) + " (got " + v + ")");
  return x;
}

}  // namespace

void print_help() {
  std::puts(
      "nvfp4-gpucheck: run quantize, dequantize and block-scaled GEMM on the GPU and on the CPU golden model,\n"
      "and compare every output bit. Exit status: 0 all equal, 1 a mismatch (first differing element printed),\n"
      "2 bad input or a GPU/CUDA error.\n"
      "\n"
      "Workload (one of):\n"
      "  --workload W.csv        any workload table of the project (docs/workloads.md): nvfp4sim's native CSV, a\n"
      "                          'name,M,N,K' table or a SCALE-Sim topology; conv rows lowered by im2col; tensors\n"
      "                          as nvfp4sim makes them for the same --data-seed (generators or files named in the\n"
      "                          rows, else --activations / --weights)\n"
      "  --activations G         generator of A for rows that name none (default normal(0,1), as nvfp4sim)\n"
      "  --weights G             generator of B for rows that name none (default normal(0,0.05), as nvfp4sim)\n"
      "  --replay DIR            a replay set of 'nvfp4sim run --save-operands' (DIR/operands): the stored operands\n"
      "                          (faults included) run on the GPU under the run's accumulation policy; every bit\n"
      "                          of D compared with the simulator's output; DIR/summary.json joins the report\n"
      "  --a A.npy --b B.npy     float tensors (also f.npz:member): A is M x K, B is N x K (K contiguous)\n"
      "Quantization:\n"
      "  --scheme nvfp4|mxfp4|fp4|fp4-tensor|fp8|fp16|int4   (default nvfp4; the GEMM needs an FP4 scheme for A)\n"
      "  --weight-scheme S       B's scheme (default: --scheme), e.g. fp8, fp16 or int4 weights for nvfp4\n"
      "                          activations; B gets S's default recipe, and A's block when both are block scaled\n"
      "  --recipe te|torchao|modelopt|cutlass|floor|rceil   (default: the scheme's)\n"
      "  --block B               elements per block (default: the scheme's)\n"
      "  --weights-2d            B (weights) with 16 x 16 blocks\n"
      "  --rounding rn|sr        (default rn)   --seed S   Philox seed for sr\n"
      "GEMM:\n"
      "  --policy P              fp32-seq, blackwell-mma, fixed:W[:F] or all (the default: fp32-seq, and\n"
      "                          blackwell-mma when B is an FP4 scheme); repeatable\n"
      "  --no-gemm               quantize/dequantize checks only\n"
      "  --golden-macs N         above N = M*N*K, compare a sample of rows of D (default 2^33)\n"
      "  --golden-rows R         rows in that sample (default 96; first, last and evenly spaced)\n"
      "  --native                Blackwell only: cuBLASLt NVFP4 GEMM vs blackwell-mma (errors on other GPUs)\n"
      "Output:\n"
      "  --out DIR               GPU outputs (<layer>.a.npz, <layer>.b.npz, <layer>.d.<policy>.npy) and report.json\n"
      "  --data-seed S           generator seed (default 1)   --repeat R   timed iterations (default 5)\n"
      "  --skip-without-gpu      print SKIP and exit 0 when no GPU is present (for CTest)\n");
}

bool parse_options(int argc, char** argv, Options& o) {
  std::string scheme = "nvfp4", weight_scheme, recipe, rounding = "rn";
  int64_t block = -1;
  uint64_t seed = 0;
  bool weights_2d = false;
  std::vector<std::string> policies;
  for (int i = 0; i < argc; ++i) o.command += (i ? " " : "") + std::string(argv[i]);
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw Error("option " + a + " needs a value");
      return argv[++i];
    };
    if (a == "--help" || a == "-h") {
      print_help();
      return false;
    } else if (a == "--workload") o.workload = value();
    else if (a == "--replay") o.replay_dir = value();
    else if (a == "--a") o.a_path = value();
    else if (a == "--b") o.b_path = value();
    else if (a == "--name") o.name = value();
    else if (a == "--activations") o.activations = value();
    else if (a == "--weights") o.weights = value();
    else if (a == "--scheme") scheme = value();
    else if (a == "--weight-scheme") weight_scheme = value();
    else if (a == "--recipe") recipe = value();
    else if (a == "--block") block = parse_int(a, value(), 1);
    else if (a == "--weights-2d") weights_2d = true;
    else if (a == "--rounding") rounding = value();
    else if (a == "--seed") seed = static_cast<uint64_t>(parse_int(a, value(), 0));
    else if (a == "--policy") policies.push_back(value());
    else if (a == "--no-gemm") o.no_gemm = true;
    else if (a == "--golden-macs") o.golden_macs = parse_int(a, value(), 1);
    else if (a == "--golden-rows") o.golden_rows = parse_int(a, value(), 2);
    else if (a == "--native") o.native = true;
    else if (a == "--out") o.out_dir = value();
    else if (a == "--data-seed") o.data_seed = static_cast<uint64_t>(parse_int(a, value(), 0));
    else if (a == "--repeat") o.repeat = static_cast<int>(parse_int(a, value(), 1));
    else if (a == "--skip-without-gpu") o.skip_without_gpu = true;
    else throw Error("unknown option '" + a + "' (see --help)");
  }
  const bool files = !o.a_path.empty() || !o.b_path.empty();
  if (int(!o.workload.empty()) + int(files) + int(!o.replay_dir.empty()) != 1)
    throw Error("give exactly one workload: --workload W.csv, --replay DIR, or --a A.npy --b B.npy");
  if (!o.replay_dir.empty() && !policies.empty())
    throw Error("--replay runs the replay set's own accumulation policy (its manifest.csv); drop --policy");
  if (files && (o.a_path.empty() || o.b_path.empty())) throw Error("--a and --b must be given together");

  QuantSpec s = QuantSpec::defaults_for(parse_scheme(scheme));
  if (!recipe.empty()) s.recipe = parse_recipe(recipe);
  if (block > 0) s.block = static_cast<int>(block);
  s.rounding = parse_rounding(rounding);
  s.seed = seed;
  s.validate();
  o.spec_a = s;
  o.spec_b = s;
  if (!weight_scheme.empty() && parse_scheme(weight_scheme) != s.scheme) {
    o.spec_b = QuantSpec::defaults_for(parse_scheme(weight_scheme));
    if (has_block_scale(s.scheme) && has_block_scale(o.spec_b.scheme)) o.spec_b.block = s.block;
    o.spec_b.rounding = s.rounding;
    o.spec_b.seed = s.seed;
    o.spec_b.validate();
  }
  if (weights_2d) {
    o.spec_b.block_2d = true;
    o.spec_b.validate();
  }
  if (policies.empty()) policies.push_back("all");
  for (const std::string& p : policies) {
    if (p == "all") {
      o.policies.push_back(AccumPolicy::parse("fp32-seq"));
      const Scheme b = o.spec_b.scheme;
      if (b == Scheme::NVFP4 || b == Scheme::MXFP4 || b == Scheme::FP4 || b == Scheme::FP4Tensor)
        o.policies.push_back(AccumPolicy::parse("blackwell-mma"));
    } else {
      o.policies.push_back(AccumPolicy::parse(p));
    }
  }
  return true;
}

}  // namespace nvfp4::gpucheck
