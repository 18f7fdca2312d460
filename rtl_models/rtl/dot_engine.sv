// Dot-product engine (lut/engine.hpp), one block of L elements per beat (block size B = L), pipelined:
//   stage 1: L lane multipliers (style STYLE) and the scale unit          -> registers
//   stage 2: exact adder tree, |block sum| x scale product, round to fp32 -> term register
//   stage 3: accumulator (fp32-seq: fp32_add; fixed:W:F: acc_fixed)       -> acc register; on `last`, output register
// Handshake: an input beat is taken when in_valid_i && in_ready_o; a result is handed over when out_valid_o &&
// out_ready_i. While a result waits (out_valid_o && !out_ready_i) the whole pipeline stalls and in_ready_o is low.
// acc_o is the accumulator register before the tensor scale (lut::DotEngine::last_accumulator_bits): fp32 bits, or
// the W-bit two's-complement value. The output D = fp32(acc * fp32(s_tA * s_tB)) is applied by the consumer.
module dot_engine #(
  parameter int L = 16,          // lanes = block size; a power of two, 1..64
  parameter int WFMT = 0,        // weight format: 0 = E2M1, 1 = E4M3
  parameter int STYLE = 0,       // lane multiplier: 0 = mantissa-lut, 1 = full-lut, 2 = array
  parameter int ACC_FIXED = 0,   // 0 = fp32-seq, 1 = fixed:ACC_W:ACC_F
  parameter int ACC_W = 32,
  parameter int ACC_F = 16,
  parameter TABLE_DIR = "rtl_models/tables/",
  localparam int WBITS = (WFMT == 0) ? 4 : 8,
  localparam int ACCW = (ACC_FIXED != 0) ? ACC_W : 32
) (
  input  logic               clk_i,
  input  logic               rst_ni,
  input  logic               in_valid_i,
  output logic               in_ready_o,
  input  logic               first_i,    // first block of a dot product: the accumulator starts from 0
  input  logic               last_i,     // last block: the result goes to the output register
  input  logic [L*4-1:0]     a_i,        // L E2M1 activation codes, lane j in bits [4j +: 4]
  input  logic [L*WBITS-1:0] w_i,        // L weight codes
  input  logic [7:0]         sa_i,       // UE4M3 block scale of the activations
  input  logic [7:0]         sb_i,       // UE4M3 block scale of the weights
  output logic               out_valid_o,
  input  logic               out_ready_i,
  output logic [ACCW-1:0]    acc_o,
  output logic               nan_o,      // a NaN term (NaN weight or scale) reached the accumulator
  output logic               sat_o       // fixed: an update of this dot product saturated
);
  localparam int PW = (WFMT == 0) ? 9 : 23;
  localparam int PFRAC = (WFMT == 0) ? 2 : 10;
  localparam int BW = PW + $clog2(L);   // block sum bits (signed)
  localparam int MW = 8 + BW - 1;       // |block sum| x scale product bits

  if (L < 1 || L > 64 || (L & (L - 1)) != 0) begin : g_bad_lanes
    $error("dot_engine: parameter L = %0d: the adder tree takes a power of two, 1..64", L);
  end
  if (WFMT != 0 && WFMT != 1) begin : g_bad_wfmt
    $error("dot_engine: parameter WFMT = %0d: the engine takes 0 = E2M1, 1 = E4M3 (FP16 lanes are not wired in)", WFMT);
  end
  if (STYLE < 0 || STYLE > 2) begin : g_bad_style
    $error("dot_engine: parameter STYLE = %0d: the engine takes 0 mantissa-lut, 1 full-lut, 2 array", STYLE);
  end
  if (ACC_FIXED != 0 && (ACC_W < 8 || ACC_W > 64 || ACC_F < 0 || ACC_F >= ACC_W)) begin : g_bad_acc
    $error("dot_engine: parameters ACC_W/ACC_F = %0d/%0d: need 8 <= ACC_W <= 64, 0 <= ACC_F < ACC_W", ACC_W, ACC_F);
  end

  logic advance;
  assign advance = !(out_valid_o && !out_ready_i);
  assign in_ready_o = advance;

  // ---- stage 1: lanes and scale unit
  logic [L*PW-1:0] prod_d;
  logic [L-1:0] special_d;
  logic [7:0] sprod_d;
  logic [4:0] sexp_d;
  logic snan_d;
  for (genvar j = 0; j < L; j++) begin : g_lane
    logic signed [PW-1:0] p;
    lane_mul #(.WFMT(WFMT), .STYLE(STYLE), .TABLE_DIR(TABLE_DIR)) u_lane (
      .a_i(a_i[4*j +: 4]), .w_i(w_i[WBITS*j +: WBITS]), .p_o(p), .special_o(special_d[j]));
    assign prod_d[PW*j +: PW] = p;
  end
  scale_mul #(.TABLE_DIR(TABLE_DIR)) u_scale (.sa_i, .sb_i, .prod_o(sprod_d), .exp_sum_o(sexp_d), .nan_o(snan_d));

  logic v1_q, first1_q, last1_q, nan1_q;
  logic [L*PW-1:0] prod_q;
  logic [7:0] sprod_q;
  logic [4:0] sexp_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) v1_q <= 1'b0;
    else if (advance) v1_q <= in_valid_i;
  end
  always_ff @(posedge clk_i) begin
    if (advance && in_valid_i) begin
      first1_q <= first_i;
      last1_q <= last_i;
      prod_q <= prod_d;
      nan1_q <= (|special_d) | snan_d;
      sprod_q <= sprod_d;
      sexp_q <= sexp_d;
    end
  end

  // ---- stage 2: adder tree, scale, round to the fp32 term
  logic signed [BW-1:0] bsum;
  logic [BW-2:0] bmag;
  logic [MW-1:0] tmag;
  logic [31:0] term_d;
  adder_tree #(.N(L), .IW(PW), .OW(BW)) u_tree (.in_i(prod_q), .sum_o(bsum));
  assign bmag = (BW - 1)'(bsum < 0 ? -bsum : bsum);  // |sum| < 2^(BW-1)
  assign tmag = MW'(bmag) * MW'(sprod_q);
  term_round #(.MW(MW), .EXP_OFFSET(20 + PFRAC)) u_round (.neg_i(bsum < 0), .mag_i(tmag), .exp_sum_i(sexp_q), .f_o(term_d));

  logic v2_q, first2_q, last2_q, nan2_q;
  logic [31:0] term_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) v2_q <= 1'b0;
    else if (advance) v2_q <= v1_q;
  end
  always_ff @(posedge clk_i) begin
    if (advance && v1_q) begin
      first2_q <= first1_q;
      last2_q <= last1_q;
      nan2_q <= nan1_q;
      term_q <= nan1_q ? 32'h7fc0_0000 : term_d;  // the model's quiet NaN
    end
  end

  // ---- stage 3: accumulator
  logic [ACCW-1:0] acc_q, acc_d, base;
  logic nan_q, sat_q, nan_d, sat_d, sat_step;
  assign base = first2_q ? '0 : acc_q;
  if (ACC_FIXED != 0) begin : g_fixed
    logic nan_step;
    acc_fixed #(.W(ACC_W), .F(ACC_F)) u_acc (.base_i(base), .term_i(term_q), .acc_o(acc_d), .sat_o(sat_step),
                                             .nan_o(nan_step));
    assign nan_d = (first2_q ? 1'b0 : nan_q) | nan_step | nan2_q;
  end else begin : g_fp32
    fp32_add u_add (.a_i(base), .b_i(term_q), .sum_o(acc_d));
    assign sat_step = 1'b0;
    assign nan_d = (first2_q ? 1'b0 : nan_q) | nan2_q;
  end
  assign sat_d = (first2_q ? 1'b0 : sat_q) | sat_step;

  logic out_valid_q, out_nan_q, out_sat_q;
  logic [ACCW-1:0] out_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) out_valid_q <= 1'b0;
    else out_valid_q <= (out_valid_q && !out_ready_i) || (advance && v2_q && last2_q);
  end
  always_ff @(posedge clk_i) begin
    if (advance && v2_q) begin
      acc_q <= acc_d;
      nan_q <= nan_d;
      sat_q <= sat_d;
      if (last2_q) begin
        out_q <= acc_d;
        out_nan_q <= nan_d;
        out_sat_q <= sat_d;
      end
    end
  end
  assign out_valid_o = out_valid_q;
  assign acc_o = out_q;
  assign nan_o = out_nan_q;
  assign sat_o = out_sat_q;
endmodule
