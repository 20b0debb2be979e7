package dev.condense.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import com.google.protobuf.UnsafeByteOperations;
import dev.condense.CondenseException;
import dev.condense.IoErrors;
import dev.condense.graph.Graph;
import dev.condense.graph.Model;
import dev.condense.graph.Tensor;
import dev.condense.onnx.proto.OnnxProto.ModelProto;
import dev.condense.onnx.proto.OnnxProto.OperatorSetIdProto;
import dev.condense.onnx.proto.OnnxProto.StringStringEntryProto;
import dev.condense.onnx.proto.OnnxProto.TensorProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads ONNX files into {@link Model}s. Use {@link #load(Path)} to open a model for
 * compression: it reads and then checks with {@link ModelChecker} that Condense can run it.
 * {@link #read} only reads. Weights, nodes, attributes, value types, opsets, producer, doc
 * string and metadata are kept exactly; the model's domain and model_version and the doc strings
 * of graphs, nodes and values are not modelled and are dropped.
 *
 * <p>Every user error is a one-line {@link CondenseException} that starts with the file name: a
 * missing file, a file that is not ONNX at all, a truncated one, or a model using something
 * Condense does not handle (control flow, sparse weights, strings, ...). Weights stored as ONNX
 * external data are read from their side files in the model's directory ({@link ExternalData});
 * float16, bfloat16 and double weights are read into float32 and their type is kept in the graph
 * ({@link dev.condense.graph.Graph#storage}). Protobuf
 * parses many random byte strings "successfully", so a parsed model must also pass sanity checks
 * (IR version, graph, opset, op types, names without control characters) before it counts as
 * ONNX.
 */
public final class OnnxReader {

  /** Protobuf messages, and hence ONNX files without external data, are at most 2 GB. */
  private static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 8;

  private OnnxReader() {}

  /**
   * Reads the model in {@code file}, normalises ops written at older opsets to the form Condense
   * implements, and checks that Condense supports it: the usual entry point.
   */
  public static Model load(Path file) {
    return ModelChecker.normalizeAndCheck(read(file), file.toString());
  }

  /** As {@link #load(Path)}, constants folded at load within {@code limit} (the CLI's --max-memory). */
  public static Model load(Path file, dev.condense.MemoryLimit limit) {
    return ModelChecker.normalizeAndCheck(read(file), file.toString(), limit);
  }

  /** Reads the model in {@code file}, without checking that Condense can run it. */
  public static Model read(Path file) {
    return read(readFile(file), file.toString(), ExternalData.beside(file));
  }

  /**
   * Reads a serialized model; {@code sourceName} names it in messages. A model given as bytes has
   * no directory, so one with external data is refused: read it with {@link #read(Path)}.
   */
  public static Model read(byte[] bytes, String sourceName) {
    return read(bytes, sourceName, ExternalData.none());
  }

  private static Model read(byte[] bytes, String sourceName, ExternalData external) {
    ModelProto p = parse(bytes, sourceName, ModelProto.parser(), "ONNX model", "ONNX file",
        looksLikeModel(bytes), ModelSanity::defect);
    try {
      if (p.getTrainingInfoCount() > 0) {
        throw new CondenseException("training information (training_info) is not supported");
      }
      if (p.getFunctionsCount() > 0) {
        throw new CondenseException("model-local functions are not supported");
      }
      Graph graph = GraphCodec.decode(p.getGraph(), external);
      return new Model(graph, p.getIrVersion(), opsets(p), p.getProducerName(),
          p.getProducerVersion(), p.getDocString(), metadata(p));
    } catch (CondenseException e) {
      throw new CondenseException(sourceName + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads a file holding one serialized {@code TensorProto}, such as the {@code input_0.pb} and
   * {@code output_0.pb} files of ONNX's test data.
   */
  public static Tensor readTensor(Path pbFile) {
    String source = pbFile.toString();
    byte[] bytes = readFile(pbFile);
    TensorProto p = parse(bytes, source, TensorProto.parser(), "ONNX tensor", "ONNX tensor file",
        looksLikeTensor(bytes), t -> t.getDataType() == 0 ? "no element type" : null);
    return TensorCodec.decode(p, source + (p.getName().isEmpty() ? "" : ": tensor '" + p.getName() + "'"));
  }

  private static byte[] readFile(Path file) {
    try {
      if (Files.isDirectory(file)) {
        throw new CondenseException(file + ": is a directory, not a file");
      }
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new CondenseException(file + ": larger than 2 GB, more than an ONNX file can hold"
            + " (a model that large keeps its weights in external data files)");
      }
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new CondenseException(file + ": no such file", e);
    } catch (IOException e) {
      throw new CondenseException(file + ": cannot read (" + IoErrors.reason(e) + ")", e);
    }
  }

  /**
   * Parses {@code bytes} and checks with {@code defect} (which names what is wrong with a parsed
   * message, or returns null) that they make sense as a {@code what}. A failure is reported as a
   * truncated or corrupt {@code file} when the bytes start like the expected message
   * ({@code looksRight}), and as "not an {@code what}" otherwise.
   */
  private static <T> T parse(byte[] bytes, String source, Parser<T> parser, String what,
      String file, boolean looksRight, Function<T, String> defect) {
    String notIt = source + ": not an " + what;
    if (bytes.length == 0) {
      throw new CondenseException(notIt + " (empty file)");
    }
    if (looksLikeText(bytes)) {
      throw new CondenseException(notIt + " (it is a text file)");
    }
    String corrupt = source + ": truncated or corrupt " + file;
    T message;
    try {
      // Aliasing lets large raw_data fields point into the file's bytes instead of copies.
      CodedInputStream in = UnsafeByteOperations.unsafeWrap(bytes).newCodedInput();
      in.enableAliasing(true);
      message = parser.parseFrom(in);
    } catch (InvalidProtocolBufferException e) {
      String reason = firstSentence(e.getMessage());
      throw new CondenseException(looksRight ? corrupt + " (" + reason + ")"
          : notIt + " (protobuf parsing failed: " + reason + ")", e);
    }
    String wrong = defect.apply(message);
    if (wrong != null) {
      throw new CondenseException((looksRight ? corrupt : notIt) + " (" + wrong + ")");
    }
    return message;
  }

  /**
   * Whether the bytes start like a serialized ONNX model: exporters write fields in field-number
   * order, so a model starts with ir_version (field 1, a small varint) and then one of the next
   * model fields (producer, domain, version, doc string, graph or opset import).
   */
  private static boolean looksLikeModel(byte[] b) {
    return b.length >= 3 && b[0] == 0x08 && b[1] > 0
        && (b[2] == 0x12 || b[2] == 0x1a || b[2] == 0x22 || b[2] == 0x28 || b[2] == 0x32
            || b[2] == 0x3a || b[2] == 0x42);
  }

  /** Whether the bytes start like a serialized tensor: with its dims (field 1) or type (field 2). */
  private static boolean looksLikeTensor(byte[] b) {
    return b.length >= 2 && (b[0] == 0x08 || b[0] == 0x0a || b[0] == 0x10);
  }

  /** Whether the first bytes are printable ASCII (binary protobuf almost never is). */
  private static boolean looksLikeText(byte[] b) {
    int n = Math.min(b.length, 64);
    for (int i = 0; i < n; i++) {
      int c = b[i] & 0xff;
      if (c >= 0x7f || (c < 0x20 && c != '\n' && c != '\r' && c != '\t')) {
        return false;
      }
    }
    return true;
  }

  private static String firstSentence(String s) {
    if (s == null || s.isEmpty()) {
      return "invalid data";
    }
    int end = s.indexOf(". ");
    String first = end < 0 ? s : s.substring(0, end);
    first = first.endsWith(".") ? first.substring(0, first.length() - 1) : first;
    return Character.toLowerCase(first.charAt(0)) + first.substring(1);
  }

  private static Map<String, Long> opsets(ModelProto p) {
    Map<String, Long> opsets = new LinkedHashMap<>();
    for (OperatorSetIdProto o : p.getOpsetImportList()) {
      String domain = GraphCodec.DEFAULT_DOMAINS.contains(o.getDomain()) ? "" : o.getDomain();
      if (opsets.put(domain, o.getVersion()) != null) {
        throw new CondenseException("opset of domain '" + domain + "' is imported twice");
      }
    }
    return opsets;
  }

  private static Map<String, String> metadata(ModelProto p) {
    Map<String, String> metadata = new LinkedHashMap<>();
    for (StringStringEntryProto e : p.getMetadataPropsList()) {
      if (metadata.put(e.getKey(), e.getValue()) != null) {
        throw new CondenseException("metadata key '" + e.getKey() + "' appears twice");
      }
    }
    return metadata;
  }
}
