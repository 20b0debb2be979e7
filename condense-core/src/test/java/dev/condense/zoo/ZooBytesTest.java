package dev.condense.zoo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.condense.graph.Model;
import dev.condense.graph.Node;
import dev.condense.onnx.OnnxWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A zoo model is the same file in every JVM: same spec and seed, same bytes. The order of a
 * node's attributes is written to the file, so a map whose iteration order is drawn afresh in
 * each JVM (Map.of, Set.of) made every channel-pruning run's output one of two files. Within one
 * JVM that order never changes, hence the child JVMs.
 */
class ZooBytesTest {
  private static final List<String> SPECS = List.of("resnet-20:width=0.5", "vgg-16:width=0.125", "lenet-5");
  /** With an order drawn per JVM from two, six JVMs all agree by chance once in 32 times. */
  private static final int JVMS = 6;

  @Test
  void batchNormAttributesComeInTheOrderTheyAreWritten() {
    Model m = Zoo.create("resnet-20:width=0.5", 1);
    List<Node> bns = m.graph().nodes().stream().filter(n -> n.opType().equals("BatchNormalization")).toList();
    assertThat(bns).isNotEmpty();
    for (Node n : bns) {
      assertThat(n.attributes().keySet()).as(n.name()).containsExactly("epsilon", "momentum");
    }
  }

  @Test
  void everyJvmWritesTheSameBytes() throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> digests = new ArrayList<>();
    for (int i = 0; i < JVMS; i++) {
      Process p = new ProcessBuilder(java.toString(), "-Xmx512m", "-cp", System.getProperty("java.class.path"),
          Digests.class.getName()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      assertThat(p.waitFor()).as(out).isZero();
      assertThat(out.lines()).as(out).hasSize(SPECS.size());
      digests.add(out);
    }
    assertThat(digests).as("the zoo models' SHA-256 in %d JVMs", JVMS).containsOnly(digests.get(0));
  }

  /** Prints the SHA-256 of each spec's ONNX bytes (seed 1), one line each: run in a child JVM. */
  static final class Digests {
    public static void main(String[] args) throws NoSuchAlgorithmException {
      for (String spec : SPECS) {
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(OnnxWriter.toBytes(Zoo.create(spec, 1)));
        System.out.println(spec + " " + HexFormat.of().formatHex(hash));
      }
    }
  }
}
