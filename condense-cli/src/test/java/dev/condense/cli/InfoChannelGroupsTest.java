package dev.condense.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.condense.graph.Graph;
import dev.condense.graph.Model;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.onnx.OnnxWriter;
import dev.condense.zoo.NetBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code condense info} says which channel groups may be thinned and why the others are pinned. */
class InfoChannelGroupsTest {
  @TempDir
  Path dir;

  @Test
  void aBiasSharedThroughIdentityAcrossGroupsIsShownAsTheReason() throws Exception {
    NetBuilder b = new NetBuilder("shared", "input", new int[] {1, 28, 28}, 3);
    String x = b.relu("r0", b.conv("c0", "input", 4, 3, 2, 1));
    String y = b.relu("r1", b.conv("c1", x, 4, 3, 1, 1));
    String z = b.relu("r2", b.conv("c2", y, 6, 3, 1, 1));
    Graph g = b.build(b.gemm("fc", b.flatten("flat", b.globalAveragePool("gap", z)), 10), 10);
    // PyTorch's pattern: c1 reads c0's (equal) bias through an Identity node.
    List<Node> nodes = new ArrayList<>(List.of(new Node("dedup", "Identity", List.of("c0.bias"), List.of("onnx::Conv_9"))));
    for (Node n : g.nodes()) {
      nodes.add(n.name().equals("c1") ? n.withInputs(List.of(n.input(0), n.input(1), "onnx::Conv_9")) : n);
    }
    Map<String, Tensor> init = new LinkedHashMap<>(g.initializers());
    init.remove("c1.bias");
    Path file = dir.resolve("shared.onnx");
    Files.write(file, OnnxWriter.toBytes(Model.of(g.withNodes(nodes).withInitializers(init))));

    CliRun r = CliRun.of("info", file.toString(), "--json");
    assertThat(r.status()).as(r.err()).isZero();
    JsonNode groups = new ObjectMapper().readTree(r.out()).get("channel_groups");
    Map<String, String> pinned = new LinkedHashMap<>();
    groups.forEach(j -> pinned.put(j.get("name").asText(), j.get("pinned").isNull() ? null : j.get("pinned").asText()));
    String why = "weight 'c0.bias' is shared by 'c0' and 'c1' in different groups";
    assertThat(pinned).containsEntry("c0", why).containsEntry("c1", why).containsEntry("c2", null);
    assertThat(pinned.get("fc")).contains("graph output");
    assertThat(CliRun.of("info", file.toString()).out()).contains("no: " + why);
  }
}
