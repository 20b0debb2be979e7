// Old vs new INT8 file (bench/int8-size/compare.sh): ONNX Runtime outputs bit for bit, ONNX and .cdz sizes.
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.condense.format.CdzFile;
import dev.condense.graph.Model;
import dev.condense.onnx.OnnxReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Old vs new INT8 file: ONNX Runtime outputs bit for bit on the given inputs, and sizes (ONNX, .cdz). */
public class Compare {
  static float[] run(Path model, float[] x, int n) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
      so.setIntraOpNumThreads(1);
      try (OrtSession s = env.createSession(model.toString(), so)) {
        String in = s.getInputNames().iterator().next();
        int per = x.length / n;
        int batch = 500;
        float[] out = null;
        int classes = 0;
        for (int i = 0; i < n; i += batch) {
          int b = Math.min(batch, n - i);
          float[] part = new float[b * per];
          System.arraycopy(x, i * per, part, 0, part.length);
          try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(part), new long[] {b, 1, 28, 28});
              OrtSession.Result r = s.run(Map.of(in, t))) {
            FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
            if (out == null) {
              classes = fb.remaining() / b;
              out = new float[n * classes];
            }
            fb.get(out, i * classes, b * classes);
          }
        }
        return out;
      }
    }
  }

  public static void main(String[] a) throws Exception {
    byte[] raw = Files.readAllBytes(Path.of(a[2]));
    FloatBuffer fb = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    float[] x = new float[fb.remaining()];
    fb.get(x);
    int n = x.length / 784;
    Path oldP = Path.of(a[0]);
    Path newP = Path.of(a[1]);
    float[] o = run(oldP, x, n);
    float[] q = run(newP, x, n);
    int diff = 0;
    for (int i = 0; i < o.length; i++) {
      diff += Float.floatToRawIntBits(o[i]) != Float.floatToRawIntBits(q[i]) ? 1 : 0;
    }
    long oldCdz = CdzFile.toBytes(OnnxReader.load(oldP), CdzFile.Options.defaults()).bytes().length;
    long newCdz = CdzFile.toBytes(OnnxReader.load(newP), CdzFile.Options.defaults()).bytes().length;
    System.out.printf("%s: %d inputs, %d logits, %d differ in bits; onnx %d -> %d; cdz %d -> %d%n", newP.getFileName(), n,
        o.length, diff, Files.size(oldP), Files.size(newP), oldCdz, newCdz);
  }
}
