// IEEE 754 binary32 adder, round to nearest even, subnormals in and out (combinational). NaN results: a NaN operand
// is returned quieted (a first, as x86 SSE addss does), Inf - Inf gives the x86 default NaN 0xFFC00000; exact zero
// sums are +0 unless both operands are -0 (RNE).
// Method: align the smaller operand to the larger with guard, round and sticky bits, add or subtract, normalize
// (left shift stops at the subnormal boundary), round once.
module fp32_add (
  input  logic [31:0] a_i,
  input  logic [31:0] b_i,
  output logic [31:0] sum_o
);
  logic        sa, sb, a_nan, b_nan, a_inf, b_inf, swap, sbig, ssmall, eff_sub;
  logic [7:0]  ea, eb;
  logic [23:0] ma, mb, mbig, msmall;
  logic [8:0]  xa, xb, xbig, xsmall, diff;  // effective exponents (>= 1)
  logic [26:0] big_ext, small_ext;          // {significand, guard, round, sticky}
  logic [27:0] raw;
  logic [26:0] norm;
  logic [9:0]  xnorm;                       // exponent of norm (signed range: never negative here)
  logic [4:0]  lz;
  logic [5:0]  lshift;
  logic [24:0] mround;
  logic        round_up;
  logic [9:0]  xfinal;
  logic [22:0] frac_final;
  logic [7:0]  efield;

  assign sa = a_i[31];
  assign sb = b_i[31];
  assign ea = a_i[30:23];
  assign eb = b_i[30:23];
  assign a_nan = (ea == 8'hff) && (a_i[22:0] != 23'd0);
  assign b_nan = (eb == 8'hff) && (b_i[22:0] != 23'd0);
  assign a_inf = (ea == 8'hff) && (a_i[22:0] == 23'd0);
  assign b_inf = (eb == 8'hff) && (b_i[22:0] == 23'd0);
  assign ma = {ea != 8'd0, a_i[22:0]};
  assign mb = {eb != 8'd0, b_i[22:0]};
  assign xa = (ea == 8'd0) ? 9'd1 : {1'b0, ea};
  assign xb = (eb == 8'd0) ? 9'd1 : {1'b0, eb};
  assign swap = {xb, mb} > {xa, ma};  // |b| > |a|
  assign mbig = swap ? mb : ma;
  assign msmall = swap ? ma : mb;
  assign xbig = swap ? xb : xa;
  assign xsmall = swap ? xa : xb;
  assign sbig = swap ? sb : sa;
  assign ssmall = swap ? sa : sb;
  assign eff_sub = sbig ^ ssmall;
  assign diff = xbig - xsmall;
  assign big_ext = {mbig, 3'b000};

  // Right shift of the smaller significand with a sticky OR of everything shifted out.
  always_comb begin
    logic [49:0] wide;
    wide = {msmall, 26'd0} >> ((diff > 9'd26) ? 9'd26 : diff);
    small_ext = {wide[49:24], |wide[23:0]};
    if (diff > 9'd26) small_ext = {26'd0, msmall != 24'd0};
  end

  assign raw = eff_sub ? ({1'b0, big_ext} - {1'b0, small_ext}) : ({1'b0, big_ext} + {1'b0, small_ext});

  // Normalize: a carry shifts right by one (keeping sticky); otherwise shift left to put the leading one at bit 26,
  // but not below the subnormal boundary (exponent 1).
  always_comb begin
    lz = 5'd0;
    for (int i = 0; i <= 26; i++) if (raw[i]) lz = 5'(26 - i);
    if (raw[27]) begin
      norm = {raw[27:2], raw[1] | raw[0]};
      xnorm = {1'b0, xbig} + 10'd1;
      lshift = 6'd0;
    end else begin
      lshift = ({4'd0, lz} < xbig) ? {1'b0, lz} : 6'(xbig - 9'd1);
      norm = 27'(raw << lshift);
      xnorm = {1'b0, xbig} - {4'd0, lshift};
    end
  end

  assign round_up = norm[2] & (norm[1] | norm[0] | norm[3]);
  assign mround = {1'b0, norm[26:3]} + {24'd0, round_up};
  always_comb begin
    xfinal = xnorm;
    frac_final = mround[22:0];
    if (mround[24]) begin
      xfinal = xnorm + 10'd1;
      frac_final = mround[23:1];
    end
    // a result without its hidden bit is subnormal (exponent field 0)
    efield = (mround[24] || mround[23]) ? xfinal[7:0] : 8'd0;
  end

  always_comb begin
    if (a_nan) sum_o = a_i | 32'h0040_0000;
    else if (b_nan) sum_o = b_i | 32'h0040_0000;
    else if (a_inf && b_inf && (sa != sb)) sum_o = 32'hffc0_0000;
    else if (a_inf) sum_o = a_i;
    else if (b_inf) sum_o = b_i;
    else if (raw == 28'd0) sum_o = {sa & sb, 31'd0};
    else if (xfinal >= 10'd255) sum_o = {sbig, 8'hff, 23'd0};
    else sum_o = {sbig, efield, frac_final};
  end
endmodule
