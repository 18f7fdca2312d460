#!/usr/bin/env python3
"""Prints SCALE-Sim's compute cycles (ideal memory: the length of its demand matrices) for each layer of a topology.

Usage: scalesim_compute_cycles.py TOPOLOGY.csv DATAFLOW ROWS COLS [--gemm]
Output: one line per layer, "name,cycles". Uses SCALE-Sim's own operand-matrix and systolic compute classes (PyPI
`scalesim`), so the numbers are SCALE-Sim's, not a re-implementation. Run by tests/sim/test_scalesim_cycles.
"""
import sys

from scalesim.compute.operand_matrix import operand_matrix
from scalesim.compute.systolic_compute_is import systolic_compute_is
from scalesim.compute.systolic_compute_os import systolic_compute_os
from scalesim.compute.systolic_compute_ws import systolic_compute_ws
from scalesim.layout_utils import layouts
from scalesim.scale_config import scale_config
from scalesim.topology_utils import topologies


def main(argv):
    if len(argv) < 5:
        print(__doc__, file=sys.stderr)
        return 2
    topo_file, dataflow, rows, cols = argv[1], argv[2], int(argv[3]), int(argv[4])
    gemm = "--gemm" in argv[5:]
    config = scale_config()
    config.set_arr_dims(rows=rows, cols=cols)
    config.set_dataflow(dataflow)
    config.force_valid()
    topo = topologies()
    topo.load_arrays(topofile=topo_file, mnk_inputs=gemm)
    layout = layouts()
    compute_class = {"os": systolic_compute_os, "ws": systolic_compute_ws, "is": systolic_compute_is}[dataflow]
    for layer in range(topo.get_num_layers()):
        op = operand_matrix()
        op.set_params(config_obj=config, topoutil_obj=topo, layoututil_obj=layout, layer_id=layer)
        _, ifmap = op.get_ifmap_matrix()
        _, filt = op.get_filter_matrix()
        _, ofmap = op.get_ofmap_matrix()
        compute = compute_class()
        if dataflow == "ws":
            n, m = topo.get_layer_sparsity_ratio(layer)
            compute.set_params(config_obj=config, ifmap_op_mat=ifmap, filter_op_mat=filt, ofmap_op_mat=ofmap,
                               sparsity_ratio_N=n, sparsity_ratio_M=m,
                               ifmap_op_mat_original=op.ifmap_addr_matrix_original,
                               sparsity_filter_array=op.sparse_filter_array)
        else:
            compute.set_params(config_obj=config, ifmap_op_mat=ifmap, filter_op_mat=filt, ofmap_op_mat=ofmap)
        ifmap_d, filter_d, ofmap_d = compute.get_demand_matrices()
        assert ifmap_d.shape[0] == filter_d.shape[0] == ofmap_d.shape[0]
        print(f"{topo.topo_arrays[layer][0]},{ofmap_d.shape[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
