// Lane multiplier, style "mantissa-lut" (lut/multipliers/mantissa_lut.cpp): sign XOR, exponent adder, a LUT of the
// significand product sig_a x sig_w (hidden bit + mantissa), shift into the exact fixed-point product:
//   p = (-1)^(s_a ^ s_w) * LUT[sig_a][sig_w] << ((max(e_a,1) - 1) + (max(e_w,1) - 1)),  LSB 2^-2, 2^-10 or 2^-25
module lane_mul_mant_lut #(
  parameter int WFMT = 0,                     // weight format: 0 = E2M1, 1 = E4M3, 2 = FP16
  parameter TABLE_DIR = "rtl_models/tables/", // folder of the generated $readmemh images (ends with '/')
  localparam int WBITS = (WFMT == 0) ? 4 : (WFMT == 1) ? 8 : 16, // weight code bits
  localparam int PW = (WFMT == 0) ? 9 : (WFMT == 1) ? 23 : 45 // signed product bits (|p| <= 144, 2752512, 6141*2^31)
) (
  input  logic [3:0]           a_i,       // E2M1 activation code
  input  logic [WBITS-1:0]     w_i,       // weight code
  output logic signed [PW-1:0] p_o,       // exact product
  output logic                 special_o  // weight has no finite value (E4M3 NaN, FP16 exponent 31); p_o is then 0
);
  localparam int WEXP = (WFMT == 0) ? 2 : (WFMT == 1) ? 4 : 5;
  localparam int WMAN = (WFMT == 0) ? 1 : (WFMT == 1) ? 3 : 10;
  localparam int WSIG = WMAN + 1;
  localparam int SHW = (WFMT == 0) ? 3 : 5;  // shift amount bits (max 4, 16 or 31)
  localparam int TW = WSIG + 2;              // table entry bits

  logic [TW-1:0] rom [1 << (2 + WSIG)];      // rom[{sig_a, sig_w}] = sig_a * sig_w
  initial $readmemh({TABLE_DIR, (WFMT == 0) ? "mant_e2m1_e2m1.memh" : (WFMT == 1) ? "mant_e2m1_e4m3.memh"
                                                 : "mant_e2m1_fp16.memh"}, rom);

  logic [1:0] ea;
  logic [WEXP-1:0] ew;
  logic [SHW-1:0] sh_a, sh_w, shift;
  logic [TW-1:0] sig_prod;
  logic [PW-2:0] mag;

  assign ea = a_i[2:1];
  assign ew = w_i[WBITS-2 -: WEXP];
  assign sh_a = (ea != 2'd0) ? SHW'(ea) - SHW'(1) : SHW'(0);
  assign sh_w = (ew != '0) ? SHW'(ew) - SHW'(1) : SHW'(0);
  assign shift = sh_a + sh_w;  // the exponent adder
  assign sig_prod = rom[{ea != 2'd0, a_i[0], ew != '0, w_i[WMAN-1:0]}];
  assign mag = (PW - 1)'(sig_prod) << shift;
  assign special_o = (WFMT == 1) ? (w_i[WBITS-2:0] == '1) : (WFMT == 2) ? (ew == '1) : 1'b0;
  assign p_o = special_o ? '0 : ((a_i[3] ^ w_i[WBITS-1]) ? -$signed({1'b0, mag}) : $signed({1'b0, mag}));
endmodule
