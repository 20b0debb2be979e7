package dev.condense.onnx;

import dev.condense.AtomicFile;
import dev.condense.CondenseException;
import dev.condense.graph.Model;
import dev.condense.graph.Tensor;
import dev.condense.onnx.proto.OnnxProto.ModelProto;
import dev.condense.onnx.proto.OnnxProto.OperatorSetIdProto;
import dev.condense.onnx.proto.OnnxProto.StringStringEntryProto;
import java.nio.file.Path;

/**
 * Writes {@link Model}s as ONNX files that any ONNX runtime loads. Tensors are stored as
 * little-endian {@code raw_data}, the compact form PyTorch writes. A file is written atomically:
 * the bytes go to a temporary file beside the target, which then replaces the target in one
 * rename, so a failure (full disk, killed process) never leaves a half-written model or destroys
 * the previous one.
 */
public final class OnnxWriter {

  /** Protobuf messages, and hence ONNX files without external data, are at most 2 GB. */
  private static final long MAX_BYTES = Integer.MAX_VALUE - 8;

  private OnnxWriter() {}

  /** Writes {@code m} to {@code file}, replacing any file there only once the new one is complete. */
  public static void write(Model m, Path file) {
    byte[] bytes;
    try {
      bytes = toBytes(m);
    } catch (CondenseException e) {
      throw new CondenseException(file + ": " + e.getMessage(), e);
    }
    AtomicFile.write(file, bytes);
  }

  /** The serialized model. */
  public static byte[] toBytes(Model m) {
    long weightBytes = m.graph().initializers().values().stream().mapToLong(Tensor::byteSize).sum();
    if (weightBytes > MAX_BYTES) {
      throw new CondenseException("the weights take " + weightBytes + " bytes, more than an ONNX file"
          + " can hold (2 GB)");
    }
    return encode(m).toByteArray();
  }

  private static ModelProto encode(Model m) {
    ModelProto.Builder b = ModelProto.newBuilder().setIrVersion(m.irVersion())
        .setProducerName(m.producerName()).setProducerVersion(m.producerVersion());
    if (!m.docString().isEmpty()) {
      b.setDocString(m.docString());
    }
    b.setGraph(GraphCodec.encode(m.graph()));
    m.opsetImports().forEach((domain, version) ->
        b.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(domain).setVersion(version)));
    m.metadata().forEach((key, value) ->
        b.addMetadataProps(StringStringEntryProto.newBuilder().setKey(key).setValue(value)));
    return b.build();
  }
}
