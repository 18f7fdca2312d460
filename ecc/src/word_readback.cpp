#include "ecc/word_readback.hpp"

#include <bit>
#include <optional>
#include <string>

#include "ecc/secded.hpp"
#include "numerics/error.hpp"

namespace nvfp4::ecc {

WordReadback read_back_words(const std::vector<uint64_t>& words, int data_bits, ProtectedCode code,
                             const SramBankSpec& bank, std::shared_ptr<const FailureModel> failure, DuePolicy on_due) {
  const bool coded = code == ProtectedCode::Secded;
  if (data_bits < (coded ? SecdedCode::kMinDataBits : 1) || data_bits > 64)
    throw Error("stored words: data_bits " + std::to_string(data_bits) + " outside [" +
                std::to_string(coded ? SecdedCode::kMinDataBits : 1) + ", 64]");
  std::optional<SecdedCode> secded;
  if (coded) secded.emplace(data_bits);
  const int cells = coded ? secded->codeword_bits() : data_bits;
  const uint64_t mask = data_bits == 64 ? ~uint64_t{0} : (uint64_t{1} << data_bits) - 1;

  BitImage image;
  for (uint64_t w : words) {
    w &= mask;
    image.append(w, data_bits);
    if (coded) image.append(secded->check_bits_of(WideWord{{w, 0, 0}}), cells - data_bits);
  }
  SramBankSpec spec = bank;
  spec.word_bits = cells;
  spec.words = static_cast<int64_t>(words.size());
  SramBank sram(spec, std::move(failure));
  WordReadback r;
  r.bit_error_rate = sram.bit_failure_probability();
  sram.read(image, 0);

  r.words.reserve(words.size());
  for (size_t i = 0; i < words.size(); ++i) {
    const uint64_t stored = words[i] & mask;
    const int64_t base = static_cast<int64_t>(i) * cells;
    const uint64_t raw = image.read(base, data_bits);
    r.data.bits_stored += static_cast<uint64_t>(data_bits);
    r.data.raw_bit_errors += static_cast<uint64_t>(std::popcount(raw ^ stored));
    uint64_t out = raw;
    bool due = false;
    if (coded) {
      WideWord cw{{raw, 0, 0}};
      cw.set_field(data_bits, cells - data_bits, image.read(base + data_bits, cells - data_bits));
      const DecodeResult d = secded->decode(cw);
      out = d.data.field(0, data_bits);
      if (d.status == DecodeStatus::Corrected) ++r.corrected_words;
      if (d.status == DecodeStatus::DetectedUncorrectable) {
        due = true;
        ++r.due_words;
        if (on_due == DuePolicy::Zero) out = 0;
      } else if (out != stored) {
        ++r.miscorrected_words;
      }
    }
    const uint64_t wrong = static_cast<uint64_t>(std::popcount(out ^ stored));
    r.data.corrected_bits += static_cast<uint64_t>(std::popcount((raw ^ stored) & ~(out ^ stored)));
    (due ? r.data.due_bits : r.data.silent_bit_errors) += wrong;
    r.words.push_back(out);
  }
  return r;
}

}  // namespace nvfp4::ecc
