package dev.condense.cli;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.condense.CondenseException;
import dev.condense.graph.Model;
import dev.condense.onnx.OnnxWriter;
import java.nio.file.Path;
import java.util.Map;

/**
 * A model as ONNX Runtime loads it: an ONNX file as it is on disk (ONNX Runtime reads it, with
 * any external data beside it, and may hold ops Condense does not read, such as its contrib
 * domain's MatMulNBits), or a model Condense holds, serialized. Timing a file never goes through
 * Condense's reader and writer, so what is timed is the file that ships.
 */
final class OrtModel {
  /** The input ONNX Runtime reports for a model: its name and shape, -1 for a symbolic dimension. */
  record Input(String name, long[] shape) {}

  private final String name;
  private final byte[] bytes;
  private final Path file;

  private OrtModel(String name, byte[] bytes, Path file) {
    this.name = name;
    this.bytes = bytes;
    this.file = file;
  }

  /** {@code model} serialized; {@code name} names it in messages. */
  static OrtModel of(Model model, String name) {
    return new OrtModel(name, OnnxWriter.toBytes(model), null);
  }

  /** The ONNX file at {@code file}, loaded by ONNX Runtime itself. */
  static OrtModel file(Path file) {
    return new OrtModel(file.toString(), null, file);
  }

  String name() {
    return name;
  }

  /** A session of this model; the caller closes it. */
  OrtSession open(OrtEnvironment env, OrtSession.SessionOptions so) throws OrtException {
    return file != null ? env.createSession(file.toString(), so) : env.createSession(bytes, so);
  }

  /**
   * The model's only input as ONNX Runtime sees it; a model ONNX Runtime cannot load, or one
   * without exactly one float tensor input, is a one-line error naming it.
   */
  Input input() {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
      so.setIntraOpNumThreads(1);
      so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
      try (OrtSession s = open(env, so)) {
        Map<String, NodeInfo> inputs = s.getInputInfo();
        if (inputs.size() != 1) {
          throw new CondenseException(name + " has " + inputs.size() + " graph inputs " + inputs.keySet()
              + "; only a model of one input can be timed");
        }
        NodeInfo in = inputs.values().iterator().next();
        if (!(in.getInfo() instanceof TensorInfo t) || t.type != OnnxJavaType.FLOAT) {
          throw new CondenseException(name + ": input '" + in.getName() + "' is " + in.getInfo()
              + "; only a float tensor input can be timed");
        }
        return new Input(in.getName(), t.getShape());
      }
    } catch (OrtException e) {
      throw new CondenseException(name + ": ONNX Runtime cannot load it: " + firstLine(e));
    }
  }

  /** The first line of an ONNX Runtime error (its messages may run to several). */
  static String firstLine(OrtException e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    return m.lines().findFirst().orElse(m).strip();
  }
}
