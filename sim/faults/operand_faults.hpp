// SRAM faults in a stored operand (docs/sim.md, "Faults"), through ecc/'s injector (ecc/fault_injector.hpp):
// element codes are stored in their bank (activations or weights: its voltage, word width and ECC layout/mode) and
// block scales in the scales bank (its own voltage, word width and layout). Two injections, one per bank; each
// field is taken from the injection of the bank that holds it. The per-tensor fp32 scale sits in a register (no fault).
#pragma once
#include <cstdint>
#include <memory>
#include <string>

#include "ecc/failure_model.hpp"
#include "ecc/fault_injector.hpp"
#include "numerics/quantized_tensor.hpp"
#include "sim/config/sim_config.hpp"

namespace nvfp4::sim {

struct FaultCounts {
  uint64_t bits_stored = 0, raw_bit_errors = 0, corrected_bits = 0, due_bits = 0, silent_bit_errors = 0;
  FaultCounts& operator+=(const FaultCounts& o);
};

struct FaultSetup {
  std::shared_ptr<const ecc::FailureModel> failure;
  double nominal_v = 1.0;  // voltage of the protected bank in mixed-voltage mode
};

// The seed of operand `operand` (0 activations, 1 weights) of layer `layer` for a run's fault seed.
uint64_t fault_seed(uint64_t run_seed, int64_t layer, int operand);

// The injection of one bank of an operand (seeded by fault_seed): `field` Codes for its code bank, BlockScales for
// the scales bank (seed XOR 0x5CA1E5); the bank's layout masks only that field.
ecc::InjectionConfig bank_injection(const SramBankConfig& bank, const FaultSetup& setup, uint64_t operand_seed,
                                    ecc::Field field, Scheme scheme);

// Returns the tensor as read back from the banks (stored by value: move it in when it is not needed after);
// adds the counts to `counts`.
QuantizedTensor inject_operand_faults(QuantizedTensor stored, const SramBankConfig& code_bank,
                                      const SramBankConfig& scale_bank, const FaultSetup& setup, uint64_t seed,
                                      FaultCounts& counts);

// p(V) and nominal voltage of the configuration's SRAM technology preset (architecture.sram_technology); throws
// nvfp4::Error naming the file and key when the preset is unknown.
FaultSetup make_fault_setup(const SimConfig& config);

// Operand `operand` (0 activations, 1 weights) of layer `layer`, stored as `stored`, as the simulator reads it back:
// with run.faults, the injection of its code bank and the scales bank seeded with fault_seed(run.fault_seed, layer,
// operand); without, the stored tensor. The one path of the simulator and of the Python bindings (nvfp4dse).
QuantizedTensor read_back_operand(QuantizedTensor stored, const SimConfig& config, const FaultSetup& setup,
                                  int64_t layer, int operand, FaultCounts& counts);

// Everything besides the stored tensor that read_back_operand's result and counts depend on, as one text: the code
// bank's and the scales bank's voltage, word width, ECC layout and mode, the SRAM technology preset (p(V), nominal
// voltage), the seed of (run.fault_seed, layer, operand) and run.faults. Two configurations with the same key read a
// stored tensor back to the same bits and counts (the same fault map at the same voltage), so callers that cache
// read-back tensors across design points (nvfp4dse) key them with it; the fields are read here, beside the function
// that uses them, so a new input of the fault path changes the key in the same place.
std::string read_back_key(const SimConfig& config, int64_t layer, int operand);

}  // namespace nvfp4::sim
