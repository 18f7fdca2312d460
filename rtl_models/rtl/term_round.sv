// Block term to fp32: (-1)^neg * mag * 2^(exp_sum - EXP_OFFSET), rounded to nearest even (lut/engine.cpp
// round_to_fp32). In this datapath the term is always a normal number (|term| in [2^-28, 2^44)), so there is no
// subnormal or overflow path. MW <= 24 never rounds (NVFP4 x NVFP4 up to 16 lanes: the term is exact).
module term_round #(
  parameter int MW = 20,          // magnitude bits
  parameter int EXP_OFFSET = 22   // 20 (scale unit) + product fraction bits (2 or 10)
) (
  input  logic          neg_i,
  input  logic [MW-1:0] mag_i,
  input  logic [4:0]    exp_sum_i,
  output logic [31:0]   f_o
);
  localparam int NW = (MW > 25) ? MW : 25;  // normalized register, at least 24 bits + guard
  logic [5:0] msb;
  logic [NW-1:0] n;
  logic [23:0] sig;
  logic guard, sticky, round_up;
  logic [24:0] sig_r;
  logic [7:0] ebias;

  always_comb begin
    msb = 6'd0;
    for (int i = 0; i < MW; i++) if (mag_i[i]) msb = 6'(i);
  end
  assign n = NW'(mag_i) << (6'(NW - 1) - msb);  // leading one at bit NW-1
  assign sig = n[NW-1 -: 24];
  assign guard = n[NW-25];
  if (NW > 25) begin : g_sticky
    assign sticky = |n[NW-26:0];
  end else begin : g_no_sticky
    assign sticky = 1'b0;
  end
  assign round_up = guard & (sticky | sig[0]);
  assign sig_r = {1'b0, sig} + {24'd0, round_up};
  assign ebias = 8'(msb) + 8'(exp_sum_i) + 8'(127 - EXP_OFFSET) + (sig_r[24] ? 8'd1 : 8'd0);
  assign f_o = (mag_i == '0) ? 32'd0 : {neg_i, ebias, sig_r[24] ? 23'd0 : sig_r[22:0]};
endmodule
