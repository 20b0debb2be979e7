package dev.condense.onnx;

import dev.condense.AtomicFile;
import dev.condense.AtomicPair;
import dev.condense.CondenseException;
import dev.condense.graph.DType;
import dev.condense.graph.Graph;
import dev.condense.graph.Model;
import dev.condense.graph.Node;
import dev.condense.graph.RawData;
import dev.condense.graph.Storage;
import dev.condense.graph.Tensor;
import dev.condense.onnx.proto.OnnxProto.GraphProto;
import dev.condense.onnx.proto.OnnxProto.ModelProto;
import dev.condense.onnx.proto.OnnxProto.OperatorSetIdProto;
import dev.condense.onnx.proto.OnnxProto.StringStringEntryProto;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Writes {@link Model}s as ONNX files that any ONNX runtime loads. Tensors are stored as
 * little-endian {@code raw_data}, the compact form PyTorch writes, each in the type the file it
 * came from had (float16 weights stay float16; {@link Storage}). A model read with external data,
 * or one whose weights exceed the 2 GB a protobuf message can hold, is written with its weights in
 * one side file next to the output, as ONNX's {@code save_model(..., save_as_external_data=True)}
 * does: the location relative, offsets aligned (to 64 KiB for tensors of 1 MiB or more, as ONNX
 * 1.16 aligns them for memory mapping; to 8 bytes otherwise), tensors under 1 KiB kept inline
 * unless they were external. Files are written atomically: the bytes go to temporary files
 * beside the target, which then replace it in one rename ({@link AtomicFile}, and
 * {@link AtomicPair} for a model and its side file), so a failure never leaves a half-written
 * model, a model naming missing weights, or destroys the previous one.
 */
public final class OnnxWriter {

  /** Protobuf messages, and hence ONNX files without external data, are at most 2 GB. */
  private static final long MAX_BYTES = Integer.MAX_VALUE - 8;
  /** What the side file's name ends with: {@code model.onnx.1a2b3c4d.data}. */
  static final String SIDE_SUFFIX = ".data";
  /** Tensors smaller than this stay inline (ONNX's default {@code size_threshold}). */
  private static final long INLINE_BELOW = 1024;
  private static final long LARGE = 1 << 20;
  private static final long LARGE_ALIGNMENT = 1 << 16;
  private static final long ALIGNMENT = 8;

  private OnnxWriter() {}

  /** Writes {@code m} to {@code file}, replacing any file there only once the new one is complete. */
  public static void write(Model m, Path file) {
    try {
      if (needsExternalData(m.graph())) {
        writeWithExternalData(m, file);
        return;
      }
      byte[] bytes = toBytes(m);
      AtomicFile.write(file, bytes);
      AtomicPair.removeSideFiles(file, SIDE_SUFFIX, null); // an earlier write's weights
    } catch (CondenseException e) {
      throw e.getMessage().startsWith(file.toString()) ? e : new CondenseException(file + ": " + e.getMessage(), e);
    }
  }

  /** The serialized model, every tensor inline (the weights must fit 2 GB). */
  public static byte[] toBytes(Model m) {
    long weightBytes = storedBytes(m.graph());
    if (weightBytes > MAX_BYTES) {
      throw new CondenseException("the weights take " + weightBytes + " bytes, more than an ONNX file"
          + " can hold (2 GB); write the model to a file, which keeps them as external data");
    }
    return encode(m, GraphCodec.encode(m.graph())).toByteArray();
  }

  /**
   * The serialized model with some nodes in an operator domain other than ONNX's default (ONNX
   * Runtime's contrib ops, {@code com.microsoft}): {@code domain} names each node's, "" for the
   * default. The model must import every domain named; its tensors are inline (at most 2 GB).
   */
  public static byte[] toBytes(Model m, Function<Node, String> domain) {
    if (storedBytes(m.graph()) > MAX_BYTES) {
      throw new CondenseException("the weights take more than an ONNX file can hold (2 GB)");
    }
    GraphProto.Builder g = GraphCodec.encode(m.graph()).toBuilder();
    List<Node> nodes = m.graph().nodes();
    for (int i = 0; i < nodes.size(); i++) {
      String d = domain.apply(nodes.get(i));
      if (!d.isEmpty()) {
        if (!m.opsetImports().containsKey(d)) {
          throw new CondenseException("node " + nodes.get(i).label() + " is in domain '" + d
              + "', which the model does not import");
        }
        g.setNode(i, g.getNode(i).toBuilder().setDomain(d));
      }
    }
    return encode(m, g.build()).toByteArray();
  }

  /** Whether the model is written with external data: it was read so, or it exceeds 2 GB. */
  static boolean needsExternalData(Graph g) {
    return g.initializers().keySet().stream().anyMatch(name -> g.storage(name) != null && g.storage(name).isExternal())
        || storedBytes(g) > MAX_BYTES;
  }

  private static long storedBytes(Graph g) {
    long n = 0;
    for (Map.Entry<String, Tensor> e : g.initializers().entrySet()) {
      n += storedBytes(g, e.getKey(), e.getValue());
    }
    return n;
  }

  private static long storedBytes(Graph g, String name, Tensor t) {
    return (long) t.size() * GraphCodec.storedType(g, name, t).bytes();
  }

  private static void writeWithExternalData(Model m, Path file) {
    Graph g = m.graph();
    Map<String, Long> offsets = new LinkedHashMap<>();
    long end = 0;
    for (Map.Entry<String, Tensor> e : g.initializers().entrySet()) {
      Storage s = g.storage(e.getKey());
      long bytes = storedBytes(g, e.getKey(), e.getValue());
      if (bytes >= INLINE_BELOW || (s != null && s.isExternal())) {
        long align = bytes >= LARGE ? LARGE_ALIGNMENT : ALIGNMENT;
        long offset = (end + align - 1) / align * align;
        offsets.put(e.getKey(), offset);
        end = offset + bytes;
      }
    }
    AtomicPair.write(file, SIDE_SUFFIX, out -> writeSide(g, offsets, out), sideName -> {
      GraphProto graph = GraphCodec.encode(g, (name, t) -> {
        DType as = GraphCodec.storedType(g, name, t);
        Long offset = offsets.get(name);
        return offset == null ? TensorCodec.encode(t, name, as)
            : TensorCodec.encodeExternal(t, name, as, sideName, offset);
      });
      return encode(m, graph).toByteArray();
    });
  }

  /** The side file: each external tensor's bytes at its offset, zeros between. */
  private static void writeSide(Graph g, Map<String, Long> offsets, OutputStream out) throws java.io.IOException {
    long pos = 0;
    for (Map.Entry<String, Long> e : offsets.entrySet()) {
      for (; pos < e.getValue(); pos++) {
        out.write(0);
      }
      Tensor t = g.initializer(e.getKey());
      byte[] bytes = RawData.toLittleEndian(t, GraphCodec.storedType(g, e.getKey(), t));
      out.write(bytes);
      pos += bytes.length;
    }
  }

  private static ModelProto encode(Model m, GraphProto graph) {
    ModelProto.Builder b = ModelProto.newBuilder().setIrVersion(m.irVersion())
        .setProducerName(m.producerName()).setProducerVersion(m.producerVersion());
    if (!m.docString().isEmpty()) {
      b.setDocString(m.docString());
    }
    b.setGraph(graph);
    m.opsetImports().forEach((domain, version) ->
        b.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(domain).setVersion(version)));
    m.metadata().forEach((key, value) ->
        b.addMetadataProps(StringStringEntryProto.newBuilder().setKey(key).setValue(value)));
    return b.build();
  }
}
