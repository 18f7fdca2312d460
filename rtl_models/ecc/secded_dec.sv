// SECDED decoder (extended Hamming), combinational, any data width K in 4..128. Bit-exact with
// nvfp4::ecc::SecdedCode::decode:
//   syndrome s = recomputed checks ^ stored checks; p = parity of the whole codeword
//   s == 0, p == 0            clean
//   p == 1, s names position  corrected (s == 0: the parity bit itself; a data position is flipped back)
//   p == 0, s != 0            detected-uncorrectable (double error)
//   p == 1, s names nothing   detected-uncorrectable (>= 3 errors in a shortened code)
// On detected-uncorrectable the data is passed through as stored.
module secded_dec #(
  parameter int K = 64
) (
  input  logic [N()-1:0]  codeword_i,
  output logic [K-1:0]    data_o,
  output logic            corrected_o,   // one bit flipped back (data or check/parity bit)
  output logic            due_o,         // detected-uncorrectable
  output logic [PW()-1:0] err_pos_o      // codeword position corrected (valid with corrected_o), else 0
);
  `include "secded_pkg.svh"
  localparam int R = secded_r(K);
  function automatic int N();
    N = K + secded_r(K) + 1;
  endfunction
  function automatic int PW();  // bits to hold a codeword position 0..N-1
    PW = $clog2(K + secded_r(K) + 1);
  endfunction

  logic [K-1:0] data;
  logic [R-1:0] stored_check, syndrome;
  logic         parity_odd;
  assign data = codeword_i[K-1:0];
  assign stored_check = codeword_i[K+R-1:K];
  assign parity_odd = ^codeword_i;

  for (genvar j = 0; j < R; j++) begin : g_syn
    logic [K-1:0] covered;
    for (genvar i = 0; i < K; i++) begin : g_bit
      assign covered[i] = ((secded_data_column(i) >> j) & 1) != 0 ? data[i] : 1'b0;
    end
    assign syndrome[j] = (^covered) ^ stored_check[j];
  end

  // Which position the syndrome names: a data bit (its column) or a check bit (a power of two).
  logic [K-1:0] hit_data;
  logic [R-1:0] hit_check;
  for (genvar i = 0; i < K; i++) begin : g_hit_data
    assign hit_data[i] = syndrome == R'(secded_data_column(i));
  end
  for (genvar j = 0; j < R; j++) begin : g_hit_check
    assign hit_check[j] = syndrome == R'(1 << j);
  end
  logic syndrome_zero, names_position;
  assign syndrome_zero = syndrome == '0;
  assign names_position = syndrome_zero | (|hit_data) | (|hit_check);

  assign corrected_o = parity_odd & names_position;
  assign due_o = (~parity_odd & ~syndrome_zero) | (parity_odd & ~names_position);
  assign data_o = data ^ (parity_odd ? hit_data : '0);

  // Position of the corrected bit: OR of the (one-hot) matching position indices.
  always_comb begin
    err_pos_o = '0;
    if (parity_odd) begin
      if (syndrome_zero) err_pos_o = PW()'(K + R);
      for (int i = 0; i < K; i++) begin
        if (hit_data[i]) err_pos_o = err_pos_o | PW()'(i);
      end
      for (int j = 0; j < R; j++) begin
        if (hit_check[j]) err_pos_o = err_pos_o | PW()'(K + j);
      end
    end
  end
endmodule
