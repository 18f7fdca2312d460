// Test-bench top of the FP16-weight lanes and the split-LUT lanes: one E2M1 activation and one 16-bit weight code
// drive the FP16 lanes (mantissa-lut, array, split-lut:2/3/4); the low byte and low nibble drive split-lut:2/3/4
// lanes with E4M3 and E2M1 weights.
module tb_lanes_fp16_top #(
  parameter TABLE_DIR = "rtl_models/tables/"
) (
  input  logic [3:0]  a_i,
  input  logic [15:0] w_i,
  output logic [44:0] p_fp16_o [5], // 0 mantissa-lut, 1 array, 2..4 split-lut:2..4
  output logic [4:0]  sp_fp16_o,
  output logic [8:0]  p_e2m1_o [3], // split-lut:2..4
  output logic [2:0]  sp_e2m1_o,
  output logic [22:0] p_e4m3_o [3], // split-lut:2..4
  output logic [2:0]  sp_e4m3_o
);
  lane_mul #(.WFMT(2), .STYLE(0), .TABLE_DIR(TABLE_DIR)) u_mant (
    .a_i, .w_i, .p_o(p_fp16_o[0]), .special_o(sp_fp16_o[0]));
  lane_mul #(.WFMT(2), .STYLE(2), .TABLE_DIR(TABLE_DIR)) u_array (
    .a_i, .w_i, .p_o(p_fp16_o[1]), .special_o(sp_fp16_o[1]));
  for (genvar k = 0; k < 3; k++) begin : g_split
    lane_mul #(.WFMT(2), .STYLE(3), .S(k + 2), .TABLE_DIR(TABLE_DIR)) u_fp16 (
      .a_i, .w_i, .p_o(p_fp16_o[k + 2]), .special_o(sp_fp16_o[k + 2]));
    lane_mul #(.WFMT(0), .STYLE(3), .S(k + 2), .TABLE_DIR(TABLE_DIR)) u_e2m1 (
      .a_i, .w_i(w_i[3:0]), .p_o(p_e2m1_o[k]), .special_o(sp_e2m1_o[k]));
    lane_mul #(.WFMT(1), .STYLE(3), .S(k + 2), .TABLE_DIR(TABLE_DIR)) u_e4m3 (
      .a_i, .w_i(w_i[7:0]), .p_o(p_e4m3_o[k]), .special_o(sp_e4m3_o[k]));
  end
endmodule
