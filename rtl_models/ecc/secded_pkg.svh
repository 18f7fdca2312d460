// Shared constant functions of the SECDED encoder and decoder (ecc/secded.hpp has the same construction in C++):
//   r = smallest with 2^r >= K + r + 1; codeword = {parity, check[r-1:0], data[K-1:0]} (data in the low bits);
//   data bit i has syndrome column = the i-th integer >= 3 that is not a power of two; check bit j has column 2^j.
// Written with plain loops and function-name assignment so that Verilator and Yosys 0.23 both evaluate them.

function automatic integer secded_r(input integer k);
  integer r, t;
  begin
    r = 0;
    for (t = 0; t < 16; t = t + 1) begin
      if ((1 << r) < k + r + 1) r = r + 1;
    end
    secded_r = r;
  end
endfunction

// i + 3 skips positions 1 and 2; each further power of two at or below the running value pushes it up by one.
function automatic integer secded_data_column(input integer i);
  integer v, t;
  begin
    v = i + 3;
    for (t = 2; t < 10; t = t + 1) begin
      if ((1 << t) <= v) v = v + 1;
    end
    secded_data_column = v;
  end
endfunction
