package dev.condense.bench;

import dev.condense.data.image.ImageDecoder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.apache.commons.imaging.Imaging;

/**
 * Decode throughput of a folder of image files on N threads, for {@code bench/image-decode.sh}:
 * Condense's {@link ImageDecoder} (ImageIO inside, plus header checks and PIL's channel rules),
 * and, to justify that choice, the bare decoders it could use — ImageIO and Apache Commons
 * Imaging — each decoding the file bytes to a {@code BufferedImage}. One warm-up pass, then one
 * timed pass; prints one JSON line per decoder.
 *
 * <p>Usage: {@code ImageDecodeBench DIR THREADS LABEL [decoder...]} with decoders
 * {@code condense}, {@code imageio}, {@code commons-imaging}.
 */
public final class ImageDecodeBench {
  private ImageDecodeBench() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int threads = Integer.parseInt(args[1]);
    String label = args[2];
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.sorted().toList();
    }
    List<String> decoders = args.length > 3 ? List.of(args).subList(3, args.length)
        : List.of("condense", "imageio", "commons-imaging");
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (String name : decoders) {
        Consumer<Path> decoder = decoder(name);
        run(pool, threads, files, decoder); // warm-up: JIT and the files in the page cache
        long t0 = System.nanoTime();
        run(pool, threads, files, decoder);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("{\"set\": \"%s\", \"decoder\": \"%s\", \"images\": %d, \"threads\": %d, \"seconds\": %.4f, \"images_per_s\": %.1f}%n",
            label, name, files.size(), threads, seconds, files.size() / seconds);
      }
    } finally {
      pool.shutdown();
    }
  }

  private static Consumer<Path> decoder(String name) {
    return switch (name) {
      case "condense" -> ImageDecoder::decode;
      case "imageio" -> f -> {
        try {
          // from memory, as ImageDecoder reads: ImageIO.read(InputStream) would go through a cache file
          if (ImageIO.read(new MemoryCacheImageInputStream(new ByteArrayInputStream(Files.readAllBytes(f)))) == null) {
            throw new IllegalStateException("ImageIO cannot read " + f);
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      };
      case "commons-imaging" -> f -> {
        try {
          Imaging.getBufferedImage(Files.readAllBytes(f));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      };
      default -> throw new IllegalArgumentException("unknown decoder " + name);
    };
  }

  /** Decodes every file, thread t taking files t, t + threads, ... */
  private static void run(ExecutorService pool, int threads, List<Path> files, Consumer<Path> decoder)
      throws Exception {
    Future<?>[] parts = new Future<?>[threads];
    for (int t = 0; t < threads; t++) {
      int first = t;
      parts[t] = pool.submit(() -> {
        for (int i = first; i < files.size(); i += threads) {
          decoder.accept(files.get(i));
        }
      });
    }
    for (Future<?> p : parts) {
      p.get();
    }
  }
}
