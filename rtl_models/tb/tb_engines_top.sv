// Test-bench top of three 16-lane engines driven by one handshake: E2M1 weights with the mantissa LUT and fp32-seq,
// E2M1 weights with the array multiplier and fixed:32:16, E4M3 weights with the full-product LUT and fp32-seq.
// They share activations, scales and control; all three have the same latency, so they stall together.
module tb_engines_top #(
  parameter TABLE_DIR = "rtl_models/tables/",
  localparam int L = 16
) (
  input  logic           clk_i,
  input  logic           rst_ni,
  input  logic           in_valid_i,
  output logic [2:0]     in_ready_o,
  input  logic           first_i,
  input  logic           last_i,
  input  logic [L*4-1:0] a_i,
  input  logic [L*4-1:0] w4_i,
  input  logic [L*8-1:0] w8_i,
  input  logic [7:0]     sa_i,
  input  logic [7:0]     sb_i,
  input  logic [7:0]     sb8_i,
  output logic [2:0]     out_valid_o,
  input  logic           out_ready_i,
  output logic [31:0]    acc_o [3],
  output logic [2:0]     nan_o,
  output logic [2:0]     sat_o
);
  dot_engine #(.L(L), .WFMT(0), .STYLE(0), .ACC_FIXED(0), .TABLE_DIR(TABLE_DIR)) u_e0 (
    .clk_i, .rst_ni, .in_valid_i, .in_ready_o(in_ready_o[0]), .first_i, .last_i, .a_i, .w_i(w4_i), .sa_i, .sb_i,
    .out_valid_o(out_valid_o[0]), .out_ready_i, .acc_o(acc_o[0]), .nan_o(nan_o[0]), .sat_o(sat_o[0]));
  dot_engine #(.L(L), .WFMT(0), .STYLE(2), .ACC_FIXED(1), .ACC_W(32), .ACC_F(16), .TABLE_DIR(TABLE_DIR)) u_e1 (
    .clk_i, .rst_ni, .in_valid_i, .in_ready_o(in_ready_o[1]), .first_i, .last_i, .a_i, .w_i(w4_i), .sa_i, .sb_i,
    .out_valid_o(out_valid_o[1]), .out_ready_i, .acc_o(acc_o[1]), .nan_o(nan_o[1]), .sat_o(sat_o[1]));
  dot_engine #(.L(L), .WFMT(1), .STYLE(1), .ACC_FIXED(0), .TABLE_DIR(TABLE_DIR)) u_e2 (
    .clk_i, .rst_ni, .in_valid_i, .in_ready_o(in_ready_o[2]), .first_i, .last_i, .a_i, .w_i(w8_i), .sa_i, .sb_i(sb8_i),
    .out_valid_o(out_valid_o[2]), .out_ready_i, .acc_o(acc_o[2]), .nan_o(nan_o[2]), .sat_o(sat_o[2]));
endmodule
