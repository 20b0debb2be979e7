package dev.condense.format;

import dev.condense.AtomicFile;
import dev.condense.CondenseException;
import dev.condense.MemoryLimit;
import dev.condense.graph.Annotations;
import dev.condense.graph.CompressionState;
import dev.condense.graph.Graph;
import dev.condense.graph.Model;
import dev.condense.graph.Node;
import dev.condense.ops.PrunableWeight;
import dev.condense.graph.Tensor;
import dev.condense.graph.WeightAnnotation;
import dev.condense.onnx.OnnxReader;
import dev.condense.onnx.OnnxWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The {@code .cdz} file: Deep Compression's storage format around an ONNX graph (spec:
 * docs/cdz-format.md). A header, a GRAPH section (the ONNX model without its initializers) and
 * one TENSOR section per initializer, each section with its own CRC32C. Prunable weights are
 * stored sparse (and with their codebook when quantized); everything else dense. Reading gives
 * back exactly the model written, bit for bit, annotated with the masks and codebooks the file
 * stores (a sparse weight's stored positions, a codebook weight's codebook in its stored order).
 */
public final class CdzFile {
  static final byte[] MAGIC = {'C', 'D', 'Z', 0x1A};
  static final int VERSION = 1;
  static final int GRAPH = 1;
  static final int TENSOR = 2;

  private CdzFile() {}

  /**
   * Deep Compression's storage stages for the prunable weights: P (relative indices + float32
   * values), PQ (+ codebook indices), PQH (+ Huffman coding). PQ and PQH fall back to P for a
   * weight with more than 65,535 distinct values (not quantized).
   */
  public enum Stage { P, PQ, PQH }

  /**
   * How a model is written: the gap width per prunable weight (default 5, the paper's; 0 picks the
   * width in 2..8 that makes each layer smallest) and the stage. Each sparse weight is walked in
   * CSR or CSC order, whichever is smaller.
   */
  public record Options(int gapBits, Map<String, Integer> gapBitsByWeight, Stage stage) {
    public static Options defaults() {
      return new Options(5, Map.of(), Stage.PQH);
    }

    public Options withStage(Stage s) {
      return new Options(gapBits, gapBitsByWeight, s);
    }

    int gapBits(String weight) {
      return gapBitsByWeight.getOrDefault(weight, gapBits);
    }
  }

  /** What the file spends per tensor, as written. */
  public record Written(byte[] bytes, Map<String, EncodedTensor> tensors, int graphBytes) {}

  /**
   * The encoding a tensor gets: sparse for prunable weights, with a codebook ({@code codebook},
   * its sorted distinct non-zero values, null when there are more than 65,535) unless stage P.
   */
  static Encoding encodingFor(String name, Tensor t, float[] codebook, java.util.Set<String> prunable, Stage stage) {
    if (t.dtype() != dev.condense.graph.DType.FLOAT) {
      int bits = TensorEncoder.packedBits(t.toLongs());
      return bits > 0 && bits < 8 * t.dtype().bytes() ? Encoding.PACKED : Encoding.DENSE;
    }
    if (!prunable.contains(name)) {
      return Encoding.DENSE;
    }
    if (stage == Stage.P || codebook == null) {
      return Encoding.SPARSE;
    }
    return stage == Stage.PQH ? Encoding.SPARSE_CODEBOOK_HUFFMAN : Encoding.SPARSE_CODEBOOK;
  }

  public static Written toBytes(Model m, Options options) {
    Graph g = m.graph();
    checkWritable(g);
    java.util.Set<String> prunable = new java.util.HashSet<>();
    for (PrunableWeight w : PrunableWeight.of(g)) {
      prunable.add(w.weight());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(MAGIC);
    byte[] graph = OnnxWriter.toBytes(m.withGraph(g.withInitializers(Map.of())));
    out.writeBytes(le(VERSION, 2));
    out.writeBytes(le(1 + g.initializers().size(), 4));
    section(out, GRAPH, "graph", graph);
    Map<String, EncodedTensor> enc = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : g.initializers().entrySet()) {
      float[] codebook = prunable.contains(e.getKey()) && options.stage() != Stage.P
          ? CompressionState.sortedCodebook(m, e.getKey(), 65_535) : null;
      Encoding how = encodingFor(e.getKey(), e.getValue(), codebook, prunable, options.stage());
      EncodedTensor t = smallest(e.getValue(), codebook, how, options.gapBits(e.getKey()));
      enc.put(e.getKey(), t);
      section(out, TENSOR, e.getKey(), t.payload());
    }
    checkReadable(g, out.size());
    return new Written(out.toByteArray(), enc, graph.length);
  }

  /**
   * Refuses a file the reader would refuse by its size budget: tensors that decode to more than
   * the {@link dev.condense.SizeBudget} of the file's size (256 MiB of zeros packs into a few
   * kilobytes), so no file is written that reads back only with an explicit memory limit.
   */
  private static void checkReadable(Graph g, long fileBytes) {
    long decoded = 0;
    String largest = null;
    long largestBytes = -1;
    for (Map.Entry<String, Tensor> e : g.initializers().entrySet()) {
      long b = e.getValue().byteSize();
      decoded += b;
      if (b > largestBytes) {
        largestBytes = b;
        largest = e.getKey();
      }
    }
    long allowed = dev.condense.SizeBudget.allowed(fileBytes);
    if (decoded > allowed) {
      throw new CondenseException(".cdz: tensor '" + shown(largest) + "' and the rest decode to " + decoded
          + " bytes, more than the " + allowed + " a " + fileBytes + "-byte .cdz file may decode to when read ("
          + dev.condense.SizeBudget.EXPANSION + "× its size); store such a model as ONNX");
    }
  }

  private static String shown(String name) {
    String p = printable(name).equals(name) ? name : dev.condense.OneLine.of(name);
    return p.length() > 60 ? p.substring(0, 60) + "..." : p;
  }

  /**
   * Refuses a model the reader would refuse, before writing a byte (so the previous file stays):
   * a tensor name longer than a section's 16-bit length, a rank above 8, more elements than the
   * reader accepts.
   */
  private static void checkWritable(Graph g) {
    for (Map.Entry<String, Tensor> e : g.initializers().entrySet()) {
      String name = e.getKey();
      String shown = shown(name);
      if (!printable(name).equals(name)) {
        throw new CondenseException(".cdz: tensor '" + shown + "' has control or bidirectional-override characters in"
            + " its name, which the reader refuses");
      }
      int bytes = name.getBytes(StandardCharsets.UTF_8).length;
      if (bytes > 0xffff) {
        throw new CondenseException(".cdz: tensor '" + shown + "' has a name of " + bytes
            + " bytes; the format stores at most 65,535");
      }
      if (e.getValue().rank() > TensorEncoder.MAX_RANK) {
        throw new CondenseException(".cdz: tensor '" + shown + "' has rank " + e.getValue().rank()
            + "; the format stores at most " + TensorEncoder.MAX_RANK);
      }
      if (e.getValue().size() > TensorEncoder.MAX_ELEMENTS) {
        throw new CondenseException(".cdz: tensor '" + shown + "' has " + e.getValue().size()
            + " elements; the format stores at most " + TensorEncoder.MAX_ELEMENTS);
      }
    }
  }

  /** The smallest of the CSR/CSC layouts (and of gap widths 2..8 when {@code gapBits} is 0). */
  static EncodedTensor smallest(Tensor t, float[] codebook, Encoding how, int gapBits) {
    if (how == Encoding.DENSE) {
      return TensorEncoder.encode(t, how, gapBits);
    }
    EncodedTensor best = null;
    int lo = gapBits == 0 ? 2 : gapBits;
    int hi = gapBits == 0 ? 8 : gapBits;
    for (TensorEncoder.Layout layout : TensorEncoder.Layout.values()) {
      for (int b = lo; b <= hi; b++) {
        EncodedTensor e = TensorEncoder.encode(t, codebook, how, b, layout);
        if (best == null || e.payload().length < best.payload().length) {
          best = e;
        }
      }
    }
    return best;
  }

  /** Writes atomically (temporary file, then rename); never leaves a partial file. */
  public static Written write(Model m, Path file, Options options) {
    Written w = toBytes(m, options);
    AtomicFile.write(file, w.bytes());
    return w;
  }

  private static void section(ByteArrayOutputStream out, int kind, String name, byte[] payload) {
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    ByteBuffer h = ByteBuffer.allocate(1 + 2 + n.length + 4).order(ByteOrder.LITTLE_ENDIAN);
    h.put((byte) kind).putShort((short) n.length).put(n).putInt(payload.length);
    CRC32C crc = new CRC32C();
    crc.update(h.array());
    crc.update(payload);
    out.writeBytes(h.array());
    out.writeBytes(payload);
    out.writeBytes(le((int) crc.getValue(), 4));
  }

  private static byte[] le(int v, int bytes) {
    ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v);
    return java.util.Arrays.copyOf(b.array(), bytes);
  }

  /** Reads a .cdz file within the default {@link MemoryLimit} of this JVM's heap. */
  public static Model read(Path file) {
    return read(file, MemoryLimit.forThisHeap());
  }

  /**
   * Reads a .cdz file whose decoded tensors must fit {@code limit} (and, unless it is explicit,
   * the {@link dev.condense.SizeBudget} of the file's size).
   */
  public static Model read(Path file, MemoryLimit limit) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new CondenseException(file + ": no such file");
    } catch (IOException e) {
      throw new CondenseException(file + ": cannot read (" + dev.condense.IoErrors.reason(e) + ")");
    }
    return read(bytes, file.toString(), limit);
  }

  /** Reads a .cdz image; any damage is one {@link CondenseException} naming the section. */
  public static Model read(byte[] bytes, String source) {
    return read(bytes, source, MemoryLimit.forThisHeap());
  }

  /** Reads a .cdz image whose decoded tensors must fit {@code limit}. */
  public static Model read(byte[] bytes, String source, MemoryLimit limit) {
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if (bytes.length < 10 || !java.util.Arrays.equals(java.util.Arrays.copyOf(bytes, 4), MAGIC)) {
      throw new CondenseException(source + ": not a .cdz file (bad magic)");
    }
    b.position(4);
    int version = b.getShort() & 0xffff;
    if (version != VERSION) {
      throw new CondenseException(source + ": .cdz version " + version + " is not supported (this Condense reads " + VERSION + ")");
    }
    long sections = b.getInt() & 0xffffffffL;
    if (sections < 1 || sections > bytes.length / 11) {
      throw new CondenseException(source + ": header: implausible section count " + sections);
    }
    Model graph = null;
    Map<String, Tensor> init = new LinkedHashMap<>();
    Map<String, WeightAnnotation.Mask> masks = new LinkedHashMap<>();
    Map<String, WeightAnnotation.Codebook> codebooks = new LinkedHashMap<>();
    long budgetLeft = dev.condense.SizeBudget.allowed(bytes.length, limit);
    for (int s = 0; s < sections; s++) {
      String where = source + ": section " + (s + 1);
      if (b.remaining() < 7) {
        throw new CondenseException(where + ": truncated (header)");
      }
      int start = b.position();
      int kind = b.get() & 0xff;
      int nameLen = b.getShort() & 0xffff;
      if (b.remaining() < nameLen + 4L) {
        throw new CondenseException(where + ": truncated (name)");
      }
      byte[] nb = new byte[nameLen];
      b.get(nb);
      String name = new String(nb, StandardCharsets.UTF_8);
      where += kind == TENSOR ? " (tensor '" + printable(name) + "')" : kind == GRAPH ? " (graph)" : "";
      if (!printable(name).equals(name)) {
        throw new CondenseException(where + ": a section name with control characters");
      }
      long len = b.getInt() & 0xffffffffL;
      if (len > b.remaining() - 4L) {
        throw new CondenseException(where + ": truncated (" + len + " bytes announced, " + Math.max(0, b.remaining() - 4) + " present)");
      }
      byte[] payload = new byte[(int) len];
      b.get(payload);
      CRC32C crc = new CRC32C();
      crc.update(bytes, start, b.position() - start);
      int stored = b.getInt();
      if ((int) crc.getValue() != stored) {
        throw new CondenseException(where + ": checksum mismatch (the file is corrupt)");
      }
      if (kind == GRAPH) {
        if (graph != null) {
          throw new CondenseException(where + ": a second graph section");
        }
        graph = OnnxReader.read(payload, where);
      } else if (kind == TENSOR) {
        TensorEncoder.Decoded d = TensorEncoder.decodeAnnotated(payload, where,
            Math.min(budgetLeft, limit.tensorBytes()));
        budgetLeft -= d.tensor().byteSize();
        if (init.put(name, d.tensor()) != null) {
          throw new CondenseException(where + ": duplicate tensor");
        }
        if (d.mask() != null) {
          masks.put(name, d.mask());
        }
        if (d.codebook() != null) {
          codebooks.put(name, d.codebook());
        }
      } else {
        throw new CondenseException(where + ": unknown section kind " + kind);
      }
    }
    if (b.hasRemaining()) {
      throw new CondenseException(source + ": " + b.remaining() + " unexpected bytes after the last section");
    }
    if (graph == null) {
      throw new CondenseException(source + ": no graph section");
    }
    checkReferences(graph.graph(), init, source);
    return graph.withGraph(graph.graph().withInitializers(init)).withAnnotations(new Annotations(masks, codebooks));
  }

  private static String printable(String s) {
    return s.codePoints().allMatch(c -> !Character.isISOControl(c) && !(c >= 0x202a && c <= 0x202e)
        && !(c >= 0x2066 && c <= 0x2069)) ? s : "?";
  }

  private static void checkReferences(Graph g, Map<String, Tensor> init, String source) {
    java.util.Set<String> known = new java.util.HashSet<>(init.keySet());
    g.inputs().forEach(v -> known.add(v.name()));
    for (Node n : g.nodes()) {
      known.addAll(n.outputs());
    }
    List<String> missing = new ArrayList<>();
    for (Node n : g.nodes()) {
      for (String in : n.inputs()) {
        if (!in.isEmpty() && !known.contains(in)) {
          missing.add(in);
        }
      }
    }
    if (!missing.isEmpty()) {
      throw new CondenseException(source + ": tensor section missing for '" + missing.get(0) + "'");
    }
    java.util.Set<String> used = new java.util.HashSet<>();
    g.nodes().forEach(n -> used.addAll(n.inputs()));
    g.outputs().forEach(v -> used.add(v.name()));
    for (String name : init.keySet()) {
      if (!used.contains(name)) {
        throw new CondenseException(source + ": tensor '" + name + "' is used by no node of the graph");
      }
    }
  }
}
