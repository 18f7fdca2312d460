// Lane multiplier, style "array" (baseline, lut/multipliers/array_multiplier.cpp): sign XOR, exponent adder, and the
// significand product from an AND array: sig_a has 2 bits, so two partial-product rows sig_w & {sig_a[i]} << i.
module lane_mul_array #(
  parameter int WFMT = 0,                     // weight format: 0 = E2M1, 1 = E4M3, 2 = FP16
  localparam int WBITS = (WFMT == 0) ? 4 : (WFMT == 1) ? 8 : 16,
  localparam int PW = (WFMT == 0) ? 9 : (WFMT == 1) ? 23 : 45
) (
  input  logic [3:0]           a_i,
  input  logic [WBITS-1:0]     w_i,
  output logic signed [PW-1:0] p_o,
  output logic                 special_o
);
  localparam int WEXP = (WFMT == 0) ? 2 : (WFMT == 1) ? 4 : 5;
  localparam int WMAN = (WFMT == 0) ? 1 : (WFMT == 1) ? 3 : 10;
  localparam int WSIG = WMAN + 1;
  localparam int SHW = (WFMT == 0) ? 3 : 5;

  logic [1:0] ea;
  logic [WEXP-1:0] ew;
  logic [WSIG-1:0] sig_w, pp0, pp1;
  logic [SHW-1:0] sh_a, sh_w, shift;
  logic [WSIG+1:0] row0, row1, sig_prod;
  logic [PW-2:0] mag;

  assign ea = a_i[2:1];
  assign ew = w_i[WBITS-2 -: WEXP];
  assign sig_w = {ew != '0, w_i[WMAN-1:0]};
  assign pp0 = sig_w & {WSIG{a_i[0]}};       // sig_a bit 0 (the mantissa bit): partial-product row 0
  assign pp1 = sig_w & {WSIG{ea != 2'd0}};   // sig_a bit 1 (the hidden bit): partial-product row 1
  assign row0 = {2'b00, pp0};
  assign row1 = {1'b0, pp1, 1'b0};
  assign sig_prod = row0 + row1;
  assign sh_a = (ea != 2'd0) ? SHW'(ea) - SHW'(1) : SHW'(0);
  assign sh_w = (ew != '0) ? SHW'(ew) - SHW'(1) : SHW'(0);
  assign shift = sh_a + sh_w;
  assign mag = (PW - 1)'(sig_prod) << shift;
  assign special_o = (WFMT == 1) ? (w_i[WBITS-2:0] == '1) : (WFMT == 2) ? (ew == '1) : 1'b0;
  assign p_o = special_o ? '0 : ((a_i[3] ^ w_i[WBITS-1]) ? -$signed({1'b0, mag}) : $signed({1'b0, mag}));
endmodule
