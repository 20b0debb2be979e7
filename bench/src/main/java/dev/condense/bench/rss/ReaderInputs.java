package dev.condense.bench.rss;

import dev.condense.format.CdzFile;
import dev.condense.format.CdzLayout;
import dev.condense.graph.DType;
import dev.condense.graph.Graph;
import dev.condense.graph.Model;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueInfo;
import dev.condense.onnx.OnnxWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes the inputs of {@code bench/reader-rss.sh} into one directory: per reader, the largest
 * valid file a small input may be (one that decodes to the 64 MiB every file may decode to, or a
 * dense 32 MiB one), and the bombs of issue 17 (small files declaring gigabytes). Random content
 * comes from seed 17. Usage: {@code ReaderInputs DIR FASHION_MNIST_DIR}.
 */
public final class ReaderInputs {
  private static final long GIB = 1L << 30;

  private ReaderInputs() {}

  public static void main(String[] args) throws IOException {
    Path dir = Files.createDirectories(Path.of(args[0]));
    Path fashion = Path.of(args[1]);
    Random rnd = new Random(17);
    onnx(dir);
    cdz(dir, rnd);
    idx(dir, fashion);
    arrays(dir, rnd);
    images(dir, rnd);
    recipes(dir);
  }

  /** y = x + c, c = ConstantOfShape([n]) folded at load. */
  private static Model constantOfShape(long n) {
    return Model.of(new Graph.Builder("c").input(ValueInfo.batched("x", (int) Math.min(n, Integer.MAX_VALUE)))
        .output(ValueInfo.batched("y", (int) Math.min(n, Integer.MAX_VALUE)))
        .initializer("s", Tensor.ofLongs(new long[] {n}, 1))
        .node(new Node("c", "ConstantOfShape", List.of("s"), List.of("c")))
        .node(new Node("add", "Add", List.of("x", "c"), List.of("y"))).build());
  }

  /** y = Gemm(x, w), w [out × in]. */
  private static Model gemm(Tensor w) {
    int[] s = w.shape();
    return Model.of(new Graph.Builder("fc").input(ValueInfo.batched("x", s[1])).output(ValueInfo.batched("y", s[0]))
        .initializer("fc.weight", w)
        .node(new Node("fc", "Gemm", List.of("x", "fc.weight"), List.of("y"),
            java.util.Map.of("transB", new dev.condense.graph.Attribute.IntAttr(1)))).build());
  }

  private static Tensor random(Random rnd, int rows, int cols) {
    float[] v = new float[rows * cols];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) rnd.nextGaussian();
    }
    return Tensor.of(v, rows, cols);
  }

  private static void onnx(Path dir) throws IOException {
    // 64 MiB of folded constants is what any ONNX file may fold to (8 bytes counted per element)
    Files.write(dir.resolve("onnx-valid-fold-64mib.onnx"), OnnxWriter.toBytes(constantOfShape(8L << 20)));
    Files.write(dir.resolve("onnx-valid-dense-32mib.onnx"), OnnxWriter.toBytes(gemm(random(new Random(17), 8192, 1024))));
    Files.write(dir.resolve("onnx-bomb-constantofshape-4gib.onnx"), OnnxWriter.toBytes(constantOfShape(1L << 29)));
  }

  private static void cdz(Path dir, Random rnd) throws IOException {
    // all zeros, stored sparse: a few hundred bytes decoding to 64 MiB, the most such a file may
    byte[] zeros = CdzFile.toBytes(gemm(Tensor.zeros(DType.FLOAT, 4096, 4095)), CdzFile.Options.defaults()).bytes();
    Files.write(dir.resolve("cdz-valid-zeros-64mib.cdz"), zeros);
    Files.write(dir.resolve("cdz-valid-dense-32mib.cdz"),
        CdzFile.toBytes(gemm(random(rnd, 8192, 1024)), CdzFile.Options.defaults().withStage(CdzFile.Stage.P)).bytes());
    // the weight's payload replaced by a dense float tensor declared at 16384 × 16384 (1 GiB)
    byte[] huge = ByteBuffer.allocate(11).order(ByteOrder.LITTLE_ENDIAN).put((byte) 0).put((byte) 1).put((byte) 2)
        .putInt(16384).putInt(16384).array();
    Files.write(dir.resolve("cdz-bomb-declared-1gib.cdz"), replacePayload(zeros, "fc.weight", huge));
  }

  /** The .cdz image with section {@code name}'s payload replaced, checksums recomputed. */
  private static byte[] replacePayload(byte[] file, String name, byte[] payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(file, 0, 10);
    int at = 10;
    for (CdzLayout.Section s : CdzLayout.of(file, "seed").sections()) {
      int head = s.framingBytes() - 4;
      byte[] p = s.name().equals(name) ? payload : java.util.Arrays.copyOfRange(file, at + head, at + head + (int) s.payloadBytes());
      ByteBuffer h = ByteBuffer.allocate(head).order(ByteOrder.LITTLE_ENDIAN);
      byte[] n = s.name().getBytes(StandardCharsets.UTF_8);
      h.put(file[at]).putShort((short) n.length).put(n).putInt(p.length);
      CRC32C crc = new CRC32C();
      crc.update(h.array());
      crc.update(p);
      out.writeBytes(h.array());
      out.writeBytes(p);
      out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue()).array());
      at += s.framingBytes() + (int) s.payloadBytes();
    }
    return out.toByteArray();
  }

  private static byte[] idxHeader(int magic, int... dims) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length).put(ByteBuffer.allocate(4).putInt(magic).array());
    for (int d : dims) {
      b.putInt(d);
    }
    return b.array();
  }

  private static void idx(Path dir, Path fashion) throws IOException {
    Path raw = Files.createDirectories(dir.resolve("idx-valid-raw-fashion-mnist"));
    Path gz = Files.createDirectories(dir.resolve("idx-valid-gzip-fashion-mnist"));
    for (String f : List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")) {
      Files.copy(fashion.resolve(f + ".gz"), gz.resolve(f + ".gz"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(fashion.resolve(f + ".gz")))) {
        Files.write(raw.resolve(f), in.readAllBytes());
      }
    }
    // raw: the image file declares 60 million images but holds one
    Path rawBomb = Files.createDirectories(dir.resolve("idx-bomb-raw-declared"));
    copyLabelsAndTest(raw, rawBomb, "");
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(idxHeader(0x803, 60_000_000, 28, 28));
    b.writeBytes(new byte[784]);
    Files.write(rawBomb.resolve("train-images-idx3-ubyte"), b.toByteArray());
    // gzip: a 1 MiB file declaring 60,000 images followed by 1 GiB of zeros (inflates 1000x)
    Path gzBomb = Files.createDirectories(dir.resolve("idx-bomb-gzip-1gib"));
    copyLabelsAndTest(gz, gzBomb, ".gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gzBomb.resolve("train-images-idx3-ubyte.gz")), 1 << 16)) {
      out.write(idxHeader(0x803, 60_000, 28, 28));
      zeros(out, GIB);
    }
  }

  private static void copyLabelsAndTest(Path from, Path to, String ext) throws IOException {
    for (String f : List.of("train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")) {
      Files.copy(from.resolve(f + ext), to.resolve(f + ext), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void zeros(OutputStream out, long n) throws IOException {
    byte[] block = new byte[1 << 20];
    for (long done = 0; done < n; done += block.length) {
      out.write(block, 0, (int) Math.min(block.length, n - done));
    }
  }

  /** A .npy v1 header for a little-endian float32 array of {@code shape}, padded to 64 bytes. */
  private static byte[] npyHeader(String shape) {
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
    int total = 10 + dict.length() + 1;
    int pad = (64 - total % 64) % 64;
    String h = dict + " ".repeat(pad) + "\n";
    ByteBuffer b = ByteBuffer.allocate(10 + h.length()).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0)
        .putShort((short) h.length()).put(h.getBytes(StandardCharsets.US_ASCII));
    return b.array();
  }

  private static byte[] floats(Random rnd, int n) {
    ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      b.putFloat((float) rnd.nextGaussian());
    }
    return b.array();
  }

  private static void arrays(Path dir, Random rnd) throws IOException {
    // CIFAR-10 batches have no header: a full batch (30 MB) and one of the wrong length
    byte[] batch = new byte[10_000 * 3073];
    rnd.nextBytes(batch);
    for (int r = 0; r < 10_000; r++) {
      batch[r * 3073] = (byte) (r % 10);
    }
    Files.write(dir.resolve("cifar-valid-batch-10000.bin"), batch);
    Files.write(dir.resolve("cifar-bad-length.bin"), java.util.Arrays.copyOf(batch, 3073 * 3 + 1));
    byte[] data = floats(rnd, 8192 * 1024);
    Files.write(dir.resolve("npy-valid-32mib.npy"), concat(npyHeader("(8192, 1024)"), data));
    Files.write(dir.resolve("npy-bomb-declared-4tib.npy"), concat(npyHeader("(1099511627776,)"), new byte[16]));
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("npy-bomb-gzip-1gib.npy.gz")), 1 << 16)) {
      out.write(npyHeader("(268435456,)"));
      zeros(out, GIB);
    }
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(dir.resolve("npz-valid-32mib.npz")))) {
      z.putNextEntry(new ZipEntry("x_train.npy"));
      z.write(npyHeader("(8192, 1024)"));
      z.write(data);
      z.closeEntry();
    }
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(dir.resolve("npz-bomb-deflated-1gib.npz")))) {
      z.setLevel(Deflater.BEST_COMPRESSION);
      z.putNextEntry(new ZipEntry("x_train.npy"));
      z.write(npyHeader("(268435456,)"));
      zeros(z, GIB);
      z.closeEntry();
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] r = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  private static void images(Path dir, Random rnd) throws IOException {
    // a 2048 × 2048 RGB PNG of noise (12 MiB of pixels); a 16384 × 16384 RGB PNG of zeros
    // (768 MiB of pixels in under a megabyte, within DEFLATE's 1032:1)
    byte[] noise = new byte[2048 * (1 + 3 * 2048)];
    rnd.nextBytes(noise);
    for (int y = 0; y < 2048; y++) {
      noise[y * (1 + 3 * 2048)] = 0;
    }
    Files.write(dir.resolve("image-valid-noise-2048.png"), png(2048, 2048, out -> out.write(noise)));
    Files.write(dir.resolve("image-bomb-zeros-16384.png"), png(16384, 16384, out -> zeros(out, 16384L * (1 + 3 * 16384))));
  }

  private interface Rows {
    void write(OutputStream out) throws IOException;
  }

  /** An 8-bit RGB PNG (spec: PNG §11.2.2 IHDR, §11.2.4 IDAT, §11.2.5 IEND) whose filtered rows {@code rows} writes. */
  private static byte[] png(int width, int height, Rows rows) throws IOException {
    ByteArrayOutputStream idat = new ByteArrayOutputStream();
    try (DeflaterOutputStream z = new DeflaterOutputStream(idat, new Deflater(Deflater.BEST_COMPRESSION), 1 << 16)) {
      rows.write(z);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
        .put((byte) 0).put((byte) 0).put((byte) 0).array());
    chunk(out, "IDAT", idat.toByteArray());
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    out.writeBytes(t);
    out.writeBytes(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  private static void recipes(Path dir) throws IOException {
    // the largest recipe read: 1 MiB of comment lines around one step
    StringBuilder big = new StringBuilder("name: big\nsteps:\n  - train: {epochs: 1, lr: 0.01}\n");
    while (big.length() < (1 << 20) - 100) {
      big.append("# ").append("x".repeat(76)).append('\n');
    }
    Files.writeString(dir.resolve("recipe-valid-1mib.yaml"), big);
    // billion laughs: nine levels of nine aliases (387 million strings from 600 bytes), inside a
    // field the reader knows, and as unknown top-level keys
    StringBuilder laughs = new StringBuilder("[&a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]");
    for (int i = 1; i <= 9; i++) {
      laughs.append(", &a").append(i).append(" [").append(String.join(",", java.util.Collections.nCopies(9, "*a" + (i - 1)))).append("]");
    }
    laughs.append("]");
    Files.writeString(dir.resolve("recipe-bomb-billion-laughs.yaml"), "name: laughs\ndescription: " + laughs
        + "\nsteps:\n  - train: {epochs: 1, lr: 0.01}\n");
    Files.writeString(dir.resolve("recipe-bomb-billion-laughs-steps.yaml"), "name: laughs\nsteps: " + laughs + "\n");
    // one 50 MB scalar
    try (OutputStream out = Files.newOutputStream(dir.resolve("recipe-bomb-50mb-scalar.yaml"))) {
      out.write("name: ".getBytes(StandardCharsets.US_ASCII));
      byte[] x = new byte[1 << 20];
      java.util.Arrays.fill(x, (byte) 'x');
      for (int i = 0; i < 50; i++) {
        out.write(x);
      }
    }
  }
}
