// SECDED encoder (extended Hamming), combinational, any data width K in 4..128. Bit-exact with
// nvfp4::ecc::SecdedCode::encode (checked under Verilator by tests/rtl_models/ecc/tb_secded.cpp).
module secded_enc #(
  parameter int K = 64
) (
  input  logic [K-1:0]   data_i,
  output logic [N()-1:0] codeword_o
);
  `include "secded_pkg.svh"
  localparam int R = secded_r(K);
  function automatic int N();
    N = K + secded_r(K) + 1;
  endfunction

  // Check bit j: parity of the data bits whose column has bit j set.
  logic [R-1:0] check;
  for (genvar j = 0; j < R; j++) begin : g_check
    logic [K-1:0] covered;
    for (genvar i = 0; i < K; i++) begin : g_bit
      assign covered[i] = ((secded_data_column(i) >> j) & 1) != 0 ? data_i[i] : 1'b0;
    end
    assign check[j] = ^covered;
  end

  // Overall parity: makes the whole codeword even.
  assign codeword_o = {(^data_i) ^ (^check), check, data_i};
endmodule
