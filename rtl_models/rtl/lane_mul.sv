// One lane of the engine: the multiplier style chosen by parameter (names as lut/multiplier.hpp).
// STYLE: 0 = "mantissa-lut", 1 = "full-lut", 2 = "array".
module lane_mul #(
  parameter int WFMT = 0,
  parameter int STYLE = 0,
  parameter TABLE_DIR = "rtl_models/tables/",
  localparam int WBITS = (WFMT == 0) ? 4 : 8,
  localparam int PW = (WFMT == 0) ? 9 : 23
) (
  input  logic [3:0]           a_i,
  input  logic [WBITS-1:0]     w_i,
  output logic signed [PW-1:0] p_o,
  output logic                 special_o
);
  if (STYLE == 0) begin : g_mant
    lane_mul_mant_lut #(.WFMT(WFMT), .TABLE_DIR(TABLE_DIR)) u_mul (.a_i, .w_i, .p_o, .special_o);
  end else if (STYLE == 1) begin : g_full
    lane_mul_full_lut #(.WFMT(WFMT), .TABLE_DIR(TABLE_DIR)) u_mul (.a_i, .w_i, .p_o, .special_o);
  end else begin : g_array
    lane_mul_array #(.WFMT(WFMT)) u_mul (.a_i, .w_i, .p_o, .special_o);
  end
endmodule
