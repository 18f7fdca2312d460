// Exact binary adder tree of N signed inputs (N a power of two), combinational. Heap layout: node 0 is the root,
// leaves are nodes N-1 .. 2N-2, node i = node 2i+1 + node 2i+2. OW must hold N times the largest input.
module adder_tree #(
  parameter int N = 16,
  parameter int IW = 9,
  parameter int OW = IW + $clog2(N)
) (
  input  logic [N*IW-1:0]      in_i,   // N packed signed inputs, input j in bits [j*IW +: IW]
  output logic signed [OW-1:0] sum_o
);
  if (N < 1 || (N & (N - 1)) != 0) begin : g_bad_n
    $error("adder_tree: N = %0d is not a power of two", N);
  end
  logic signed [OW-1:0] node [2*N-1] /*verilator split_var*/;
  for (genvar j = 0; j < N; j++) begin : g_leaf
    assign node[N-1+j] = OW'($signed(in_i[j*IW +: IW]));
  end
  for (genvar i = 0; i < N - 1; i++) begin : g_add
    assign node[i] = node[2*i+1] + node[2*i+2];
  end
  assign sum_o = node[0];
endmodule
