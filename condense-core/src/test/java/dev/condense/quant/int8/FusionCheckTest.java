package dev.condense.quant.int8;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.condense.CondenseException;
import dev.condense.graph.Model;
import dev.condense.onnx.NodeListing;
import dev.condense.onnx.OnnxWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the fusion check calls unfused: nothing in ONNX Runtime's optimized graph of the INT8
 * LeNet-5, every node in the graph as written (what a runtime that fused nothing would run).
 */
class FusionCheckTest {
  @TempDir
  Path dir;

  @Test
  void onnxRuntimesGraphIsFusedAndTheUnfusedGraphNamesEveryNode() throws Exception {
    Model m = Int8QuantizerTest.lenet5();
    Int8Quantizer.Result q = QdqProbe.quantize(m, QdqProbe.images("cal", 16, new int[] {1, 28, 28}, 3));
    List<String> inputs = List.of("input");
    QdqProbe.Outcome o = QdqProbe.run(q.model(), QdqProbe.images("test", 4, new int[] {1, 28, 28}, 4), dir);
    assertThat(FusionCheck.unfused(q, inputs, o.optimized())).isEmpty();
    FusionCheck.require(q, inputs, o.optimized(), "l5.onnx");
    List<NodeListing.Listed> asWritten = NodeListing.of(OnnxWriter.toBytes(q.model()), "written");
    assertThat(FusionCheck.unfused(q, inputs, asWritten))
        .containsExactly("Conv conv1", "MaxPool pool1", "Conv conv2", "MaxPool pool2", "Flatten flatten", "Gemm ip1",
            "Relu relu1", "Gemm ip2");
    assertThatThrownBy(() -> FusionCheck.require(q, inputs, asWritten, "l5.onnx"))
        .isInstanceOf(CondenseException.class).hasMessageContaining("Conv conv1, MaxPool pool1")
        .hasMessageContaining("l5.onnx would be slower").hasMessageNotContaining("\n");
  }
}
