// One update of the fixed:W:F accumulator (numerics/gemm.hpp): acc_d = saturate_W(base + floor(term * 2^F)), where
// base is 0 on the first block of a dot product. The fp32 term is normal or zero in this datapath (Inf never occurs);
// a NaN term is flagged and leaves the register unchanged (lut::Accumulator does the same; the result is NaN).
module acc_fixed #(
  parameter int W = 32,
  parameter int F = 16
) (
  input  logic [W-1:0]  base_i,  // accumulator value to add to (0 for the first block)
  input  logic [31:0]   term_i,
  output logic [W-1:0]  acc_o,
  output logic          sat_o,   // the update clipped
  output logic          nan_o
);
  localparam int XW = (W + 2 > 27) ? W + 2 : 27;  // wide enough for +-2^W and a 25-bit signed significand
  logic s;
  logic [7:0] e;
  logic signed [XW-1:0] sig, tv, sum, hi, lo;
  logic signed [10:0] sh;  // term * 2^F = sig * 2^sh

  assign s = term_i[31];
  assign e = term_i[30:23];
  assign nan_o = (e == 8'hff);
  assign sig = (e == 8'd0) ? '0 : (s ? -$signed(XW'({1'b1, term_i[22:0]})) : $signed(XW'({1'b1, term_i[22:0]})));
  assign sh = $signed({3'b000, e}) - 11'sd150 + 11'(F);
  assign hi = $signed({{(XW - W + 1){1'b0}}, {(W - 1){1'b1}}});   //  2^(W-1) - 1
  assign lo = -hi - 1;                                              // -2^(W-1)
  always_comb begin
    if (sh >= 0 && sh + 24 > 11'(W)) tv = s ? (lo <<< 1) : ((hi + 1) <<< 1);  // |term| >= 2^W: saturates anyway
    else if (sh >= 0) tv = sig <<< sh[5:0];
    else if (sh < -11'sd26) tv = s ? -1 : 0;  // floor of a value in (-1, 0) or [0, 1)
    else tv = sig >>> (-sh);                  // arithmetic shift = floor
  end
  assign sum = $signed({{(XW - W){base_i[W-1]}}, base_i}) + tv;
  // A NaN term leaves the register as it is (the model's result is NaN whatever the register holds).
  assign sat_o = !nan_o && ((sum > hi) || (sum < lo));
  assign acc_o = nan_o ? base_i : ((sum > hi) ? hi[W-1:0] : ((sum < lo) ? lo[W-1:0] : sum[W-1:0]));
endmodule
