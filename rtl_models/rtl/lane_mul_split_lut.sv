// Lane multiplier, style "split-lut:S" (lut/multipliers/split_lut.cpp): as mantissa-lut, but the weight significand
// is cut into S-bit slices, LSB first; each slice times sig_a is read from its own small LUT (4 * 2^S entries) and the
// partial products are shifted and added, so an FP16 lane needs no 8192-entry mantissa table:
//   p = (-1)^(s_a ^ s_w) * (sum_j T[sig_a][slice_j] << S*j) << ((max(e_a,1) - 1) + (max(e_w,1) - 1))
module lane_mul_split_lut #(
  parameter int WFMT = 2,                     // weight format: 0 = E2M1, 1 = E4M3, 2 = FP16
  parameter int S = 4,                        // slice bits, 2..4 (tables slice<S>_e2m1; lane_mul checks)
  parameter TABLE_DIR = "rtl_models/tables/", // folder of the generated $readmemh images (ends with '/')
  localparam int WBITS = (WFMT == 0) ? 4 : (WFMT == 1) ? 8 : 16,
  localparam int PW = (WFMT == 0) ? 9 : (WFMT == 1) ? 23 : 45
) (
  input  logic [3:0]           a_i,       // E2M1 activation code
  input  logic [WBITS-1:0]     w_i,       // weight code
  output logic signed [PW-1:0] p_o,       // exact product, LSB 2^-2, 2^-10 or 2^-25
  output logic                 special_o  // weight has no finite value (E4M3 NaN, FP16 exponent 31); p_o is then 0
);
  localparam int WEXP = (WFMT == 0) ? 2 : (WFMT == 1) ? 4 : 5;
  localparam int WMAN = (WFMT == 0) ? 1 : (WFMT == 1) ? 3 : 10;
  localparam int WSIG = WMAN + 1;
  localparam int SHW = (WFMT == 0) ? 3 : 5;  // shift amount bits (max 4, 16 or 31)
  localparam int NSL = (WSIG + S - 1) / S;   // slices
  localparam int SPW = WSIG + 2;             // sig_a (<= 3) x sig_w bits

  logic [S+1:0] rom [4 << S];                // rom[{sig_a, slice}] = sig_a * slice
  initial $readmemh({TABLE_DIR, (S == 2) ? "slice2_e2m1.memh" : (S == 3) ? "slice3_e2m1.memh" : "slice4_e2m1.memh"},
                    rom);

  logic [1:0] ea, sig_a;
  logic [WEXP-1:0] ew;
  logic [NSL*S-1:0] sig_w;                   // zero-padded to whole slices
  logic [SHW-1:0] sh_a, sh_w, shift;
  logic [SPW-1:0] part [NSL];
  logic [SPW-1:0] sig_prod;
  logic [PW-2:0] mag;

  assign ea = a_i[2:1];
  assign ew = w_i[WBITS-2 -: WEXP];
  assign sig_a = {ea != 2'd0, a_i[0]};
  assign sig_w = (NSL * S)'({ew != '0, w_i[WMAN-1:0]});
  for (genvar j = 0; j < NSL; j++) begin : g_slice
    // one table copy per slice: all slices are read in the same cycle
    assign part[j] = SPW'(rom[{sig_a, sig_w[S*j +: S]}]) << (S * j);
  end
  always_comb begin
    sig_prod = '0;
    for (int j = 0; j < NSL; j++) sig_prod = sig_prod + part[j];  // < 2^SPW: the sum is the exact product
  end
  assign sh_a = (ea != 2'd0) ? SHW'(ea) - SHW'(1) : SHW'(0);
  assign sh_w = (ew != '0) ? SHW'(ew) - SHW'(1) : SHW'(0);
  assign shift = sh_a + sh_w;  // the exponent adder
  assign mag = (PW - 1)'(sig_prod) << shift;
  assign special_o = (WFMT == 1) ? (w_i[WBITS-2:0] == '1) : (WFMT == 2) ? (ew == '1) : 1'b0;
  assign p_o = special_o ? '0 : ((a_i[3] ^ w_i[WBITS-1]) ? -$signed({1'b0, mag}) : $signed({1'b0, mag}));
endmodule
