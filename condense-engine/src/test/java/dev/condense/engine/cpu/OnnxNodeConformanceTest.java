package dev.condense.engine.cpu;

import dev.condense.engine.blas.NativeEngines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.condense.CondenseException;
import dev.condense.graph.Model;
import dev.condense.graph.Node;
import dev.condense.onnx.OnnxReader;
import dev.condense.ops.OpTable;
import dev.condense.ops.OpsetNormalizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * ONNX's own backend node tests (Debian {@code libonnx-testdata}) for every op Condense
 * supports, run on the engine and compared with their expected outputs (relative tolerance
 * 1e-4, absolute 1e-5 near zero). A case either passes or is rejected with a clear
 * {@link CondenseException}; every rejection is listed in {@link #REJECTED} with its reason, and
 * the list must match exactly, so it cannot go stale in either direction.
 */
class OnnxNodeConformanceTest {
  static final Path NODE_TESTS = Path.of("/usr/share/libonnx-testdata/data/node");

  /** Cases of supported ops Condense refuses, and the phrase its error must contain. */
  static final Map<String, String> REJECTED = new TreeMap<>(Map.ofEntries(
      // The engine computes in float32; integer tensors exist only as shapes and indices (integer
      // Add, Sub, Mul and Div of constants fold at load time, so the uint8 cases of those pass).
      Map.entry("test_clip_default_int8_inbounds", "computes in float32"),
      Map.entry("test_clip_default_int8_max", "computes in float32"),
      Map.entry("test_clip_default_int8_min", "computes in float32"),
      Map.entry("test_maxpool_2d_uint8", "computes in float32"),
      // Pow with an integer base or exponent on run-time values (exporters write float exponents).
      Map.entry("test_pow_types_float", "computes in float32"),
      Map.entry("test_pow_types_float32_int32", "computes in float32"),
      Map.entry("test_pow_types_float32_int64", "computes in float32"),
      Map.entry("test_pow_types_int", "computes in float32"),
      Map.entry("test_pow_types_int32_float32", "computes in float32"),
      Map.entry("test_pow_types_int32_int32", "computes in float32"),
      Map.entry("test_pow_types_int64_float32", "computes in float32"),
      Map.entry("test_pow_types_int64_int64", "computes in float32"),
      // Models whose inputs or outputs are float16, bfloat16 or double: Condense computes in
      // float32 and refuses such an interface (float16/double weights behind a Cast are read).
      Map.entry("test_cast_BFLOAT16_to_FLOAT", "element type UINT16"),
      Map.entry("test_cast_DOUBLE_to_FLOAT", "graph input 'input' is double"),
      Map.entry("test_cast_DOUBLE_to_FLOAT16", "graph input 'input' is double"),
      Map.entry("test_cast_FLOAT16_to_DOUBLE", "graph input 'input' is float16"),
      Map.entry("test_cast_FLOAT16_to_FLOAT", "graph input 'input' is float16"),
      Map.entry("test_cast_FLOAT_to_BFLOAT16", "graph output 'output' is bfloat16"),
      Map.entry("test_cast_FLOAT_to_DOUBLE", "graph output 'output' is double"),
      Map.entry("test_cast_FLOAT_to_FLOAT16", "graph output 'output' is float16"),
      Map.entry("test_castlike_BFLOAT16_to_FLOAT", "element type UINT16"),
      Map.entry("test_castlike_DOUBLE_to_FLOAT", "graph input 'input' is double"),
      Map.entry("test_castlike_DOUBLE_to_FLOAT16", "graph input 'input' is double"),
      Map.entry("test_castlike_FLOAT16_to_DOUBLE", "graph input 'input' is float16"),
      Map.entry("test_castlike_FLOAT16_to_FLOAT", "graph input 'input' is float16"),
      Map.entry("test_castlike_FLOAT_to_BFLOAT16", "element type UINT16"),
      Map.entry("test_castlike_FLOAT_to_DOUBLE", "graph input 'like' is double"),
      Map.entry("test_castlike_FLOAT_to_FLOAT16", "graph input 'like' is float16"),
      Map.entry("test_mod_mixed_sign_float16", "graph input 'x' is float16"),
      Map.entry("test_mod_mixed_sign_float64", "graph input 'x' is double"),
      Map.entry("test_castlike_BFLOAT16_to_FLOAT_expanded", "element type UINT16"),
      Map.entry("test_castlike_DOUBLE_to_FLOAT16_expanded", "graph input 'input' is double"),
      Map.entry("test_castlike_DOUBLE_to_FLOAT_expanded", "graph input 'input' is double"),
      // ONNX's Einsum cases all compute in float64 (EinsumTest checks the op against a float64 loop).
      Map.entry("test_einsum_batch_diagonal", "is double"),
      Map.entry("test_einsum_batch_matmul", "is double"),
      Map.entry("test_einsum_inner_prod", "is double"),
      Map.entry("test_einsum_sum", "is double"),
      Map.entry("test_einsum_transpose", "is double"),
      Map.entry("test_castlike_FLOAT16_to_DOUBLE_expanded", "graph input 'input' is float16"),
      Map.entry("test_castlike_FLOAT16_to_FLOAT_expanded", "graph input 'input' is float16"),
      Map.entry("test_castlike_FLOAT_to_BFLOAT16_expanded", "element type UINT16"),
      Map.entry("test_castlike_FLOAT_to_DOUBLE_expanded", "is double"),
      Map.entry("test_castlike_FLOAT_to_FLOAT16_expanded", "is float16"),
      Map.entry("test_max_float16", "graph input 'data_0' is float16"),
      Map.entry("test_max_float64", "graph input 'data_0' is double"),
      Map.entry("test_min_float16", "graph input 'data_0' is float16"),
      Map.entry("test_min_float64", "graph input 'data_0' is double"),
      // Its output has an axis of length 0; the engine has no empty tensors (no model needs one).
      Map.entry("test_slice_start_out_of_bounds", "Condense runs no empty tensors"),
      Map.entry("test_constantofshape_int_shape_zero", "Condense runs no empty tensors"),
      Map.entry("test_split_zero_size_splits", "Condense runs no empty tensors"),
      // 3-D pooling: no 3-D networks in scope; refused rather than run wrongly.
      Map.entry("test_averagepool_3d_default", "1-D and 2-D AveragePool only"),
      Map.entry("test_maxpool_3d_default", "1-D and 2-D MaxPool only"),
      // Dropout's bool mask output is not produced; with training_mode true it is random.
      Map.entry("test_dropout_default_mask", "mask output (bool) is not supported"),
      Map.entry("test_dropout_default_mask_ratio", "mask output (bool) is not supported"),
      Map.entry("test_training_dropout_default_mask", "mask output (bool) is not supported"),
      Map.entry("test_training_dropout_mask", "mask output (bool) is not supported"),
      Map.entry("test_training_dropout_zero_ratio_mask", "mask output (bool) is not supported"),
      Map.entry("test_training_dropout", "training_mode input is true"),
      Map.entry("test_training_dropout_default", "training_mode input is true"),
      Map.entry("test_training_dropout_zero_ratio", "training_mode input is true"), // its ratio is a run-time input
      // Resize's cubic mode: no exporter of the models in scope writes it (PyTorch's bicubic is rare).
      Map.entry("test_resize_downsample_scales_cubic", "mode 'cubic' is not supported"),
      Map.entry("test_resize_downsample_scales_cubic_A_n0p5_exclude_outside", "mode 'cubic' is not supported"),
      Map.entry("test_resize_downsample_scales_cubic_align_corners", "mode 'cubic' is not supported"),
      Map.entry("test_resize_downsample_sizes_cubic", "mode 'cubic' is not supported"),
      Map.entry("test_resize_upsample_scales_cubic", "mode 'cubic' is not supported"),
      Map.entry("test_resize_upsample_scales_cubic_A_n0p5_exclude_outside", "mode 'cubic' is not supported"),
      Map.entry("test_resize_upsample_scales_cubic_align_corners", "mode 'cubic' is not supported"),
      Map.entry("test_resize_upsample_scales_cubic_asymmetric", "mode 'cubic' is not supported"),
      Map.entry("test_resize_upsample_sizes_cubic", "mode 'cubic' is not supported"),
      Map.entry("test_scatternd_multiply", "reduction 'mul' is not supported"), // none and add: ScatterSlices
      Map.entry("test_convtranspose_3d", "3-D ConvTranspose is not supported"), // as the 3-D pools
      // MaxPool's second output (int64 arg-max indices) is not produced.
      Map.entry("test_maxpool_with_argmax_2d_precomputed_pads", "Indices output is not supported"),
      Map.entry("test_maxpool_with_argmax_2d_precomputed_strides", "Indices output is not supported"),
      // DynamicQuantizeLinear written out: its scale and zero point are computed at run time (a
      // Cast of a run-time float to uint8); Condense's quantization parameters are constants.
      Map.entry("test_dynamicquantizelinear_expanded", "Cast on constant inputs only"),
      Map.entry("test_dynamicquantizelinear_max_adjusted_expanded", "Cast on constant inputs only"),
      Map.entry("test_dynamicquantizelinear_min_adjusted_expanded", "Cast on constant inputs only")));

  @Test
  void supportedOpsMatchOnnxExpectedOutputs() throws IOException {
    assumeTrue(Files.isDirectory(NODE_TESTS), "libonnx-testdata is not installed");
    List<TestDataCase.Outcome> outcomes = new ArrayList<>();
    try (CpuEngine engine = NativeEngines.create(2); Stream<Path> dirs = Files.list(NODE_TESTS)) {
      for (Path dir : dirs.sorted().toList()) {
        Path modelFile = dir.resolve("model.onnx");
        if (!Files.isRegularFile(modelFile)) {
          continue;
        }
        Model model;
        try {
          model = OnnxReader.read(modelFile);
        } catch (CondenseException e) {
          continue; // outside what Condense reads at all (other domains, types): not a supported-op case
        }
        if (!OpsetNormalizer.normalize(model).model().graph().nodes().stream().map(Node::opType).allMatch(op -> OpTable.standard().find(op) != null)) {
          continue;
        }
        outcomes.add(TestDataCase.run(engine, dir.getFileName().toString(), dir, model));
      }
    }
    StringBuilder report = new StringBuilder();
    Map<String, String> rejected = new TreeMap<>();
    List<String> failed = new ArrayList<>();
    for (TestDataCase.Outcome o : outcomes) {
      report.append(o.test()).append('\t').append(o.status()).append('\t').append(o.detail()).append('\n');
      if (o.status().equals("rejected")) {
        rejected.put(o.test(), o.detail());
      } else if (!o.status().equals("pass")) {
        failed.add(o.test() + ": " + o.detail());
      }
    }
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target", "onnx-node-conformance.tsv"), report);
    assertThat(outcomes).as("supported-op node tests found").hasSizeGreaterThan(80);
    assertThat(failed).as("cases with wrong results or crashes").isEmpty();
    assertThat(rejected.keySet()).as("rejected cases must be exactly the listed ones").isEqualTo(REJECTED.keySet());
    rejected.forEach((test, message) -> assertThat(message).as(test).contains(REJECTED.get(test)));
  }
}
