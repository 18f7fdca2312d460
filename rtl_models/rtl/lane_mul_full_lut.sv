// Lane multiplier, style "full-lut" (baseline, lut/multipliers/full_product_lut.cpp): one ROM indexed by both whole
// codes {a, w} holds the signed product; the top bit of each word flags a NaN weight.
module lane_mul_full_lut #(
  parameter int WFMT = 0,                     // weight format: 0 = E2M1, 1 = E4M3
  parameter TABLE_DIR = "rtl_models/tables/", // folder of the generated $readmemh images (ends with '/')
  localparam int WBITS = (WFMT == 0) ? 4 : 8,
  localparam int PW = (WFMT == 0) ? 9 : 23
) (
  input  logic [3:0]           a_i,
  input  logic [WBITS-1:0]     w_i,
  output logic signed [PW-1:0] p_o,
  output logic                 special_o
);
  logic [PW:0] rom [1 << (4 + WBITS)];  // {NaN flag, product}
  initial $readmemh({TABLE_DIR, (WFMT == 0) ? "full_e2m1_e2m1.memh" : "full_e2m1_e4m3.memh"}, rom);

  logic [PW:0] word;
  assign word = rom[{a_i, w_i}];
  assign special_o = word[PW];
  assign p_o = $signed(word[PW-1:0]);
endmodule
