// D-cycle delay (D >= 1) of a W-bit bundle, reset to 0. Used for the array's input skew and operand forwarding.
module delay_line #(
  parameter int W = 8,
  parameter int D = 1
) (
  input  logic         clk_i,
  input  logic         rst_ni,
  input  logic [W-1:0] d_i,
  output logic [W-1:0] q_o
);
  if (D < 1) begin : g_bad_d
    $error("delay_line: parameter D = %0d must be >= 1", D);
  end else begin : g_regs
    logic [W-1:0] stage_q [D];
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) begin
        for (int i = 0; i < D; i++) stage_q[i] <= '0;
      end else begin
        stage_q[0] <= d_i;
        for (int i = 1; i < D; i++) stage_q[i] <= stage_q[i-1];
      end
    end
    assign q_o = stage_q[D-1];
  end
endmodule
