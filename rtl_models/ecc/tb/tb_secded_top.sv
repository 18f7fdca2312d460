// Test-bench top: one SECDED encoder and decoder per data width the project uses (8: a scale byte, 16, 32: the
// tensor scale, 64: the default SRAM word, 72: one NVFP4 block, 128: the widest), driven by tb_secded.cpp.
module tb_secded_top (
  input  logic [7:0]   enc_data_8,   output logic [12:0]  enc_cw_8,
  input  logic [12:0]  dec_cw_8,     output logic [7:0]   dec_data_8,
  output logic         dec_corr_8,   output logic         dec_due_8,   output logic [3:0] dec_pos_8,
  input  logic [15:0]  enc_data_16,  output logic [21:0]  enc_cw_16,
  input  logic [21:0]  dec_cw_16,    output logic [15:0]  dec_data_16,
  output logic         dec_corr_16,  output logic         dec_due_16,  output logic [4:0] dec_pos_16,
  input  logic [31:0]  enc_data_32,  output logic [38:0]  enc_cw_32,
  input  logic [38:0]  dec_cw_32,    output logic [31:0]  dec_data_32,
  output logic         dec_corr_32,  output logic         dec_due_32,  output logic [5:0] dec_pos_32,
  input  logic [63:0]  enc_data_64,  output logic [71:0]  enc_cw_64,
  input  logic [71:0]  dec_cw_64,    output logic [63:0]  dec_data_64,
  output logic         dec_corr_64,  output logic         dec_due_64,  output logic [6:0] dec_pos_64,
  input  logic [71:0]  enc_data_72,  output logic [79:0]  enc_cw_72,
  input  logic [79:0]  dec_cw_72,    output logic [71:0]  dec_data_72,
  output logic         dec_corr_72,  output logic         dec_due_72,  output logic [6:0] dec_pos_72,
  input  logic [127:0] enc_data_128, output logic [136:0] enc_cw_128,
  input  logic [136:0] dec_cw_128,   output logic [127:0] dec_data_128,
  output logic         dec_corr_128, output logic         dec_due_128, output logic [7:0] dec_pos_128
);
  secded_enc #(.K(8))   u_enc_8   (.data_i(enc_data_8),   .codeword_o(enc_cw_8));
  secded_dec #(.K(8))   u_dec_8   (.codeword_i(dec_cw_8),   .data_o(dec_data_8),   .corrected_o(dec_corr_8),
                                   .due_o(dec_due_8),   .err_pos_o(dec_pos_8));
  secded_enc #(.K(16))  u_enc_16  (.data_i(enc_data_16),  .codeword_o(enc_cw_16));
  secded_dec #(.K(16))  u_dec_16  (.codeword_i(dec_cw_16),  .data_o(dec_data_16),  .corrected_o(dec_corr_16),
                                   .due_o(dec_due_16),  .err_pos_o(dec_pos_16));
  secded_enc #(.K(32))  u_enc_32  (.data_i(enc_data_32),  .codeword_o(enc_cw_32));
  secded_dec #(.K(32))  u_dec_32  (.codeword_i(dec_cw_32),  .data_o(dec_data_32),  .corrected_o(dec_corr_32),
                                   .due_o(dec_due_32),  .err_pos_o(dec_pos_32));
  secded_enc #(.K(64))  u_enc_64  (.data_i(enc_data_64),  .codeword_o(enc_cw_64));
  secded_dec #(.K(64))  u_dec_64  (.codeword_i(dec_cw_64),  .data_o(dec_data_64),  .corrected_o(dec_corr_64),
                                   .due_o(dec_due_64),  .err_pos_o(dec_pos_64));
  secded_enc #(.K(72))  u_enc_72  (.data_i(enc_data_72),  .codeword_o(enc_cw_72));
  secded_dec #(.K(72))  u_dec_72  (.codeword_i(dec_cw_72),  .data_o(dec_data_72),  .corrected_o(dec_corr_72),
                                   .due_o(dec_due_72),  .err_pos_o(dec_pos_72));
  secded_enc #(.K(128)) u_enc_128 (.data_i(enc_data_128), .codeword_o(enc_cw_128));
  secded_dec #(.K(128)) u_dec_128 (.codeword_i(dec_cw_128), .data_o(dec_data_128), .corrected_o(dec_corr_128),
                                   .due_o(dec_due_128), .err_pos_o(dec_pos_128));
endmodule
