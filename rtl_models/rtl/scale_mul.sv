// Scale unit (lut/scale_unit.hpp): UE4M3 x UE4M3 block scales (sign bits ignored), exponent add plus a 3x3-bit
// mantissa table: sig_a * sig_b = 64*ha*hb + 8*(ha*mb + hb*ma) + T[ma][mb]; value = prod * 2^(exp_sum - 20).
module scale_mul #(
  parameter TABLE_DIR = "rtl_models/tables/"
) (
  input  logic [7:0] sa_i,
  input  logic [7:0] sb_i,
  output logic [7:0] prod_o,     // <= 225
  output logic [4:0] exp_sum_o,  // max(ea,1) + max(eb,1): 2..30
  output logic       nan_o       // either scale is the E4M3 NaN
);
  logic [5:0] rom [64];  // rom[{ma, mb}] = ma * mb
  initial $readmemh({TABLE_DIR, "scale_mant_3x3.memh"}, rom);

  logic [3:0] ea, eb;
  logic [2:0] ma, mb;
  logic ha, hb;
  assign ea = sa_i[6:3];
  assign eb = sb_i[6:3];
  assign ma = sa_i[2:0];
  assign mb = sb_i[2:0];
  assign ha = ea != 4'd0;
  assign hb = eb != 4'd0;
  assign prod_o = {ha & hb, 6'd0} + ({5'd0, (ha ? mb : 3'd0)} << 3) + ({5'd0, (hb ? ma : 3'd0)} << 3) + {2'd0, rom[{ma, mb}]};
  assign exp_sum_o = {1'b0, (ha ? ea : 4'd1)} + {1'b0, (hb ? eb : 4'd1)};
  assign nan_o = (sa_i[6:0] == 7'h7f) || (sb_i[6:0] == 7'h7f);
endmodule
