// R x C output-stationary array of dot-product engines. Engine (r, c) owns output D[r][c] and streams the K/L
// reduction blocks of activation row r and weight row c. Activations (with the beat's valid/first/last and their
// block scale) enter at the left of each row and are forwarded one engine right per cycle; weights (with their
// block scale) enter at the top of each column and are forwarded one engine down per cycle. Input skew (row r
// delayed r cycles, column c delayed c cycles) makes engine (r, c) see block k of both operands in the same cycle,
// k + r + c cycles after it entered the array.
// The array never stalls (engines' out_ready is tied high): out_valid_o[r*C+c] pulses for one cycle when engine
// (r, c) finishes, and acc_o holds that result until the engine's next result (at least K/L cycles later).
module os_array #(
  parameter int R = 2,
  parameter int C = 2,
  parameter int L = 16,
  parameter int WFMT = 0,
  parameter int STYLE = 0,
  parameter int ACC_FIXED = 0,
  parameter int ACC_W = 32,
  parameter int ACC_F = 16,
  parameter TABLE_DIR = "rtl_models/tables/",
  localparam int WBITS = (WFMT == 0) ? 4 : 8,
  localparam int ACCW = (ACC_FIXED != 0) ? ACC_W : 32
) (
  input  logic                 clk_i,
  input  logic                 rst_ni,
  input  logic                 in_valid_i,  // one beat: block k of every activation row and weight row
  input  logic                 first_i,
  input  logic                 last_i,
  input  logic [R*L*4-1:0]     a_i,         // row r's L codes in bits [r*L*4 +: L*4]
  input  logic [R*8-1:0]       sa_i,        // row r's block scale
  input  logic [C*L*WBITS-1:0] w_i,         // column c's L weight codes
  input  logic [C*8-1:0]       sb_i,        // column c's block scale
  output logic [R*C-1:0]       out_valid_o, // engine r*C+c
  output logic [R*C*ACCW-1:0]  acc_o,
  output logic [R*C-1:0]       nan_o,
  output logic [R*C-1:0]       sat_o
);
  if (R < 1 || C < 1 || R > 64 || C > 64) begin : g_bad_shape
    $error("os_array: parameters R = %0d, C = %0d: each must be 1..64", R, C);
  end
  localparam int AW = 3 + 8 + L * 4;      // {valid, first, last, sa, a}
  localparam int WW = 8 + L * WBITS;      // {sb, w}

  logic [AW-1:0] a_bus [R][C+1];  // a_bus[r][c]: what engine (r, c) sees; [r][c+1] is its forwarded copy
  logic [WW-1:0] w_bus [R+1][C];

  for (genvar r = 0; r < R; r++) begin : g_row_skew
    logic [AW-1:0] row_in;
    assign row_in = {in_valid_i, first_i, last_i, sa_i[8*r +: 8], a_i[r*L*4 +: L*4]};
    if (r == 0) begin : g_none
      assign a_bus[r][0] = row_in;
    end else begin : g_delay
      delay_line #(.W(AW), .D(r)) u_skew (.clk_i, .rst_ni, .d_i(row_in), .q_o(a_bus[r][0]));
    end
  end
  for (genvar c = 0; c < C; c++) begin : g_col_skew
    logic [WW-1:0] col_in;
    assign col_in = {sb_i[8*c +: 8], w_i[c*L*WBITS +: L*WBITS]};
    if (c == 0) begin : g_none
      assign w_bus[0][c] = col_in;
    end else begin : g_delay
      delay_line #(.W(WW), .D(c)) u_skew (.clk_i, .rst_ni, .d_i(col_in), .q_o(w_bus[0][c]));
    end
  end

  for (genvar r = 0; r < R; r++) begin : g_r
    for (genvar c = 0; c < C; c++) begin : g_c
      delay_line #(.W(AW), .D(1)) u_fwd_a (.clk_i, .rst_ni, .d_i(a_bus[r][c]), .q_o(a_bus[r][c+1]));
      delay_line #(.W(WW), .D(1)) u_fwd_w (.clk_i, .rst_ni, .d_i(w_bus[r][c]), .q_o(w_bus[r+1][c]));
      dot_engine #(.L(L), .WFMT(WFMT), .STYLE(STYLE), .ACC_FIXED(ACC_FIXED), .ACC_W(ACC_W), .ACC_F(ACC_F),
                   .TABLE_DIR(TABLE_DIR)) u_engine (
        .clk_i, .rst_ni,
        .in_valid_i(a_bus[r][c][AW-1]), .in_ready_o(),
        .first_i(a_bus[r][c][AW-2]), .last_i(a_bus[r][c][AW-3]),
        .a_i(a_bus[r][c][L*4-1:0]), .w_i(w_bus[r][c][L*WBITS-1:0]),
        .sa_i(a_bus[r][c][L*4 +: 8]), .sb_i(w_bus[r][c][L*WBITS +: 8]),
        .out_valid_o(out_valid_o[r*C+c]), .out_ready_i(1'b1),
        .acc_o(acc_o[r*C*ACCW + c*ACCW +: ACCW]), .nan_o(nan_o[r*C+c]), .sat_o(sat_o[r*C+c]));
    end
  end
endmodule
