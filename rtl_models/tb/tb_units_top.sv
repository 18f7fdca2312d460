// Test-bench top of the combinational units, so that one verilated model checks them all: the lane multiplier in
// each style for E2M1 and E4M3 weights, the scale unit, the fp32 adder and one fixed:32:16 accumulator update.
module tb_units_top #(
  parameter TABLE_DIR = "rtl_models/tables/"
) (
  input  logic [3:0]  a_i,
  input  logic [7:0]  w_i,          // E4M3 code; its low nibble is the E2M1 weight code
  output logic [8:0]  p_e2m1_o [3], // styles: 0 mantissa-lut, 1 full-lut, 2 array
  output logic [2:0]  sp_e2m1_o,
  output logic [22:0] p_e4m3_o [3],
  output logic [2:0]  sp_e4m3_o,
  input  logic [7:0]  sa_i,
  input  logic [7:0]  sb_i,
  output logic [7:0]  sprod_o,
  output logic [4:0]  sexp_o,
  output logic        snan_o,
  input  logic [31:0] fa_i,
  input  logic [31:0] fb_i,
  output logic [31:0] fsum_o,
  input  logic [31:0] acc_i,        // fixed:32:16 base
  output logic [31:0] acc_o,
  output logic        acc_sat_o,
  output logic        acc_nan_o
);
  for (genvar s = 0; s < 3; s++) begin : g_style
    lane_mul #(.WFMT(0), .STYLE(s), .TABLE_DIR(TABLE_DIR)) u_e2m1 (
      .a_i, .w_i(w_i[3:0]), .p_o(p_e2m1_o[s]), .special_o(sp_e2m1_o[s]));
    lane_mul #(.WFMT(1), .STYLE(s), .TABLE_DIR(TABLE_DIR)) u_e4m3 (
      .a_i, .w_i(w_i), .p_o(p_e4m3_o[s]), .special_o(sp_e4m3_o[s]));
  end
  scale_mul #(.TABLE_DIR(TABLE_DIR)) u_scale (.sa_i, .sb_i, .prod_o(sprod_o), .exp_sum_o(sexp_o), .nan_o(snan_o));
  fp32_add u_add (.a_i(fa_i), .b_i(fb_i), .sum_o(fsum_o));
  acc_fixed #(.W(32), .F(16)) u_acc (.base_i(acc_i), .term_i(fb_i), .acc_o, .sat_o(acc_sat_o), .nan_o(acc_nan_o));
endmodule
