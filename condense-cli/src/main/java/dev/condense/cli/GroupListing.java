package dev.condense.cli;

import dev.condense.structure.ChannelGroup;
import dev.condense.structure.Slice;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code condense info --groups}: every channel group with its size, the layers in it (the ones
 * that make its channels, the gates that rescale them, the depthwise and grouped Convs they pass,
 * the layers that read them) and, for a pinned group, each reason on a line of its own.
 */
final class GroupListing {
  private GroupListing() {}

  /** The listing as text, one block of lines per group. */
  static String text(List<ChannelGroup> groups) {
    StringBuilder sb = new StringBuilder();
    long prunable = groups.stream().filter(ChannelGroup::prunable).count();
    sb.append(groups.size()).append(" channel groups, ").append(prunable).append(" prunable\n");
    for (ChannelGroup g : groups) {
      sb.append("group ").append(g.id()).append(": ").append(g.size()).append(" channels")
          .append(g.heads() ? " = " + g.size() / g.headSize() + " attention heads of " + g.headSize()
              : g.unit() > 1 ? " in whole blocks of " + g.unit() : "")
          .append(g.prunable() ? ", prunable" : ", pinned").append('\n');
      line(sb, "made by", g.trunk());
      String filters = filters(g);
      if (filters != null) {
        sb.append("  filters: ").append(filters).append('\n');
      }
      line(sb, "shuffled by", g.shuffles());
      line(sb, "gated by", g.gates());
      line(sb, "passes", g.depthwise());
      line(sb, "read by", g.consumers().stream().filter(c -> !g.depthwise().contains(c)).toList());
      for (String why : g.reasons()) {
        sb.append("  pinned: ").append(why).append('\n');
      }
    }
    return sb.toString().stripTrailing();
  }

  /**
   * Which filters of its layers a shuffled group holds: a group cut in two by a chunk after a
   * shuffle holds a range of each, a group coarsened to match a shuffle's other part owns several
   * filters per channel. Null for a group no shuffle interleaves.
   */
  private static String filters(ChannelGroup g) {
    if (g.shuffles().isEmpty()) {
      return null;
    }
    java.util.Set<String> ranges = new java.util.LinkedHashSet<>();
    for (Slice s : g.slices()) {
      if (s.role() == Slice.Role.PRODUCER) {
        ranges.add(s.start(0) + "-" + (s.start(g.size()) - 1) + (s.block() == 1 ? "" : " (" + s.block() + " per channel)"));
      }
    }
    return String.join("; ", ranges) + (ranges.size() == 1 ? " of each" : "");
  }

  private static void line(StringBuilder sb, String what, List<String> nodes) {
    if (!nodes.isEmpty()) {
      sb.append("  ").append(what).append(": ").append(String.join(", ", nodes)).append('\n');
    }
  }

  /** One group for the JSON report. */
  static Map<String, Object> json(ChannelGroup g) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("name", g.name());
    j.put("channels", g.size());
    j.put("unit", g.unit());
    if (g.heads()) {
      j.put("heads", g.size() / g.headSize());
      j.put("head_size", g.headSize());
    }
    j.put("producers", g.trunk());
    j.put("gates", g.gates());
    j.put("passes", g.depthwise());
    j.put("shuffles", g.shuffles());
    j.put("consumers", g.consumers());
    j.put("pinned", g.pinned());
    j.put("reasons", g.reasons());
    return j;
  }
}
