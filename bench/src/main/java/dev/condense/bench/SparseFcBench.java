package dev.condense.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.condense.engine.blas.NativeGemm;
import dev.condense.graph.CompressionState;
import dev.condense.graph.Attribute;
import dev.condense.graph.Graph;
import dev.condense.graph.Model;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueInfo;
import dev.condense.numeric.CsrMatrix;
import dev.condense.numeric.Gemm;
import dev.condense.numeric.JavaGemm;
import dev.condense.onnx.OnnxWriter;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Deep Compression §6 on the JVM: a pruned fully connected layer, y = W·x, as a sparse CSR
 * product over a 5-bit codebook (Condense's .cdz runtime) against dense products — pure Java,
 * OpenBLAS, and ONNX Runtime — at batch 1 and 64, all on one thread. The paper measured 3× for
 * sparse at batch 1 on CPU and no gain when batched.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"-Xmx4g"})
public class SparseFcBench {
  /** rows×cols@density: LeNet-300-100's ip1 at Han's 8%, AlexNet's fc6 at 9%. */
  @Param({"300x784@0.08", "4096x9216@0.09"})
  public String layer;

  @Param({"1", "64"})
  public int batch;

  int rows;
  int cols;
  float[] dense;
  /** The dense weight transposed ([cols × rows]), so the Java GEMM needs no per-call transpose. */
  float[] denseT;
  CsrMatrix csr;
  float[] x;
  float[] xt;
  float[] y;
  float[] yt;
  Gemm javaGemm;
  Gemm openBlas;
  OrtEnvironment env;
  OrtSession ort;
  OnnxTensor input;

  @Setup(Level.Trial)
  public void setup() throws Exception {
    String[] p = layer.split("[x@]");
    rows = Integer.parseInt(p[0]);
    cols = Integer.parseInt(p[1]);
    double density = Double.parseDouble(p[2]);
    Random r = new Random(1);
    float[] codebook = new float[31];
    for (int i = 0; i < codebook.length; i++) {
      codebook[i] = (i - 15) / 16f + (i >= 15 ? 1 / 32f : -1 / 32f);
    }
    dense = new float[rows * cols];
    for (int i = 0; i < dense.length; i++) {
      if (r.nextDouble() < density) {
        dense[i] = codebook[r.nextInt(codebook.length)];
      }
    }
    csr = CsrMatrix.of(dense, rows, cols, CompressionState.distinctNonZero(dense, 65_535));
    denseT = new float[dense.length];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        denseT[j * rows + i] = dense[i * cols + j];
      }
    }
    x = new float[batch * cols];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextFloat();
    }
    xt = new float[cols * batch];
    for (int b = 0; b < batch; b++) {
      for (int k = 0; k < cols; k++) {
        xt[k * batch + b] = x[b * cols + k];
      }
    }
    y = new float[batch * rows];
    yt = new float[rows * batch];
    javaGemm = new JavaGemm();
    openBlas = NativeGemm.detect();
    Graph g = new Graph.Builder("fc").input(ValueInfo.batched("x", cols)).output(ValueInfo.batched("y", rows))
        .initializer("w", Tensor.of(dense, rows, cols))
        .node(new Node("fc", "Gemm", List.of("x", "w"), List.of("y"), Map.of("transB", new Attribute.IntAttr(1))))
        .build();
    env = OrtEnvironment.getEnvironment();
    OrtSession.SessionOptions so = new OrtSession.SessionOptions();
    so.setIntraOpNumThreads(1);
    so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    ort = env.createSession(OnnxWriter.toBytes(Model.of(g)), so);
    input = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {batch, cols});
  }

  @TearDown(Level.Trial)
  public void close() throws Exception {
    input.close();
    ort.close();
  }

  @Benchmark
  public float sparseCsrCodebook() {
    if (batch == 1) {
      csr.multiplyVector(x, 0, y, 0, 0, rows);
      return y[0];
    }
    csr.multiplyBatch(xt, yt, batch, 0, rows);
    return yt[0];
  }

  @Benchmark
  public float denseJava() {
    javaGemm.gemm(false, false, batch, rows, cols, 1f, x, 0, cols, denseT, 0, rows, 0f, y, 0, rows);
    return y[0];
  }

  @Benchmark
  public float denseOpenBlas() {
    openBlas.gemm(false, true, batch, rows, cols, 1f, x, 0, cols, dense, 0, cols, 0f, y, 0, rows);
    return y[0];
  }

  @Benchmark
  public float denseOnnxRuntime() throws Exception {
    try (OrtSession.Result r = ort.run(Map.of("x", input))) {
      return ((float[][]) r.get(0).getValue())[0][0];
    }
  }
}
