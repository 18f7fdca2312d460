// One lane of the engine: the multiplier style chosen by parameter (names as lut/multiplier.hpp).
// STYLE: 0 = "mantissa-lut", 1 = "full-lut", 2 = "array", 3 = "split-lut:S". WFMT: 0 E2M1, 1 E4M3, 2 FP16.
module lane_mul #(
  parameter int WFMT = 0,
  parameter int STYLE = 0,
  parameter int S = 4,  // split-lut slice bits (STYLE 3 only)
  parameter TABLE_DIR = "rtl_models/tables/",
  localparam int WBITS = (WFMT == 0) ? 4 : (WFMT == 1) ? 8 : 16,
  localparam int PW = (WFMT == 0) ? 9 : (WFMT == 1) ? 23 : 45
) (
  input  logic [3:0]           a_i,
  input  logic [WBITS-1:0]     w_i,
  output logic signed [PW-1:0] p_o,
  output logic                 special_o
);
  if (WFMT < 0 || WFMT > 2) begin : g_bad_wfmt
    $error("lane_mul: parameter WFMT = %0d: 0 = E2M1, 1 = E4M3, 2 = FP16", WFMT);
  end
  if (STYLE < 0 || STYLE > 3) begin : g_bad_style
    $error("lane_mul: parameter STYLE = %0d: 0 mantissa-lut, 1 full-lut, 2 array, 3 split-lut", STYLE);
  end
  if (S < 2 || S > 4) begin : g_bad_s  // checked for every style, so that S is never silently ignored
    $error("lane_mul: parameter S = %0d: slice tables exist for 2, 3 and 4 bits", S);
  end
  if (STYLE == 1 && WFMT == 2) begin : g_bad_full_fp16
    $error("lane_mul: parameters STYLE = 1, WFMT = 2: no full-product table for FP16 weights (2^20 entries)");
  end

  if (STYLE == 0) begin : g_mant
    lane_mul_mant_lut #(.WFMT(WFMT), .TABLE_DIR(TABLE_DIR)) u_mul (.a_i, .w_i, .p_o, .special_o);
  end else if (STYLE == 1) begin : g_full
    lane_mul_full_lut #(.WFMT(WFMT), .TABLE_DIR(TABLE_DIR)) u_mul (.a_i, .w_i, .p_o, .special_o);
  end else if (STYLE == 2) begin : g_array
    lane_mul_array #(.WFMT(WFMT)) u_mul (.a_i, .w_i, .p_o, .special_o);
  end else begin : g_split
    lane_mul_split_lut #(.WFMT(WFMT), .S(S), .TABLE_DIR(TABLE_DIR)) u_mul (.a_i, .w_i, .p_o, .special_o);
  end
endmodule
