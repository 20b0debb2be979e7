package dev.condense.report;

import dev.condense.format.CdzLayout;
import dev.condense.ops.PrunableWeight;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every byte of a written {@code .cdz} file, by what it holds: the header, the graph section (the
 * ONNX nodes, including those that rebuild coded weights), each layer's weight tensors (the weight,
 * or the codebooks, codes and shapes that replaced it), the other tensors, and the sections'
 * framing. The parts add up to the file's size exactly, so a per-layer table cannot imply a
 * smaller file than the one written (issue 17, §4).
 */
public record FileSizes(String file, long fileBytes, List<Part> parts) {
  /** One part of the file: what it is, how many sections or nodes it covers, its bytes. */
  public record Part(String part, String detail, long bytes) {}

  public FileSizes {
    parts = List.copyOf(parts);
  }

  /**
   * The parts of the .cdz image {@code bytes} written as {@code file}, whose graph has
   * {@code nodes} nodes; {@code layers} are the model's prunable weights before coding (a tensor
   * belongs to a layer when it is the layer's weight or its name extends the weight's by a dot).
   */
  public static FileSizes ofCdz(String file, byte[] bytes, int nodes, List<PrunableWeight> layers) {
    CdzLayout layout = CdzLayout.of(bytes, file);
    Map<String, long[]> byLayer = new LinkedHashMap<>(); // layer -> {tensors, bytes}
    for (PrunableWeight w : layers) {
      byLayer.put(w.layer(), new long[2]);
    }
    long[] graph = new long[2];
    long[] other = new long[2];
    long framing = 0;
    for (CdzLayout.Section s : layout.sections()) {
      framing += s.framingBytes();
      long[] into = s.graph() ? graph : byLayer.getOrDefault(owner(s.name(), layers), other);
      into[0]++;
      into[1] += s.payloadBytes();
    }
    List<Part> parts = new ArrayList<>();
    parts.add(new Part("header", "magic, version, section count", layout.headerBytes()));
    parts.add(new Part("graph", "ONNX graph section, " + nodes + " nodes", graph[1]));
    byLayer.forEach((layer, t) -> parts.add(new Part(layer, t[0] + (t[0] == 1 ? " tensor" : " tensors"), t[1])));
    parts.add(new Part("other tensors", other[0] + " tensors (biases, normalisation, shapes)", other[1]));
    parts.add(new Part("section framing", layout.sections().size() + " sections: kind, name, length, CRC32C", framing));
    FileSizes f = new FileSizes(file, bytes.length, parts);
    if (f.sum() != bytes.length) {
      throw new IllegalStateException(file + ": the parts add up to " + f.sum() + " bytes, the file has " + bytes.length);
    }
    return f;
  }

  /** The layer whose weight {@code tensor} is or was derived from (the longest matching weight name), or null. */
  private static String owner(String tensor, List<PrunableWeight> layers) {
    String best = null;
    int length = -1;
    for (PrunableWeight w : layers) {
      boolean mine = tensor.equals(w.weight()) || tensor.startsWith(w.weight() + ".");
      if (mine && w.weight().length() > length) {
        best = w.layer();
        length = w.weight().length();
      }
    }
    return best;
  }

  /** The parts' bytes together. */
  public long sum() {
    return parts.stream().mapToLong(Part::bytes).sum();
  }

  public String toMarkdown() {
    TextTable t = new TextTable("part", "holds", "bytes", "share of the file");
    for (Part p : parts) {
      t.row(p.part(), p.detail(), String.format("%,d", p.bytes()), String.format("%.1f%%", 100.0 * p.bytes() / fileBytes));
    }
    t.row("**total**", file, String.format("%,d", sum()), "100.0%");
    return t.toMarkdown();
  }

  public List<Object> toJson() {
    List<Object> out = new ArrayList<>();
    for (Part p : parts) {
      Map<String, Object> j = new LinkedHashMap<>();
      j.put("part", p.part());
      j.put("detail", p.detail());
      j.put("bytes", p.bytes());
      out.add(j);
    }
    return out;
  }
}
