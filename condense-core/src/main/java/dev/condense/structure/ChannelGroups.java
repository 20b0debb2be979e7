package dev.condense.structure;

import dev.condense.graph.Graph;
import dev.condense.graph.Model;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueInfo;
import dev.condense.ops.Kind;
import dev.condense.ops.Op;
import dev.condense.ops.OpTable;
import dev.condense.ops.ShapeInference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the {@link ChannelGroup}s of any supported ONNX graph: which tensor slices move together
 * when a channel (a Conv filter, a fully connected neuron) is removed. Works on the graph alone,
 * so ONNX files from any framework get the same treatment as the zoo's models.
 *
 * <p>Each op declares its rule ({@link dev.condense.ops.ChannelRule}); the rules (channel axis =
 * axis 1 of every activation, but the last axis of a transformer's [B, T, E], which a MatMul of
 * a rank-3 input with a 2-D weight makes and only element-wise ops and the next such MatMul follow):
 * Conv, ConvTranspose (weight axes reversed) and Gemm/MatMul with a weight initializer start a group; element-wise ops, pools, Dropout, BatchNormalization and depthwise
 * Conv pass it on (slicing their per-channel parameters), as does a grouped Conv with as many
 * outputs as inputs, whose channels then go in whole groups ({@link ChannelGroup#unit}); Flatten
 * and flattening Reshapes turn a channel into a block of H×W features; Add/Sub/Mul/Div of two
 * activations merge their groups (residual connections), also when one is broadcast over the
 * other's spatial axes (a squeeze-and-excitation gate [N, C, 1, 1] times its trunk: the gate's
 * producer joins the trunk's group as a {@link ChannelGroup#gates gate}; Hu et al. 2018 §3), with
 * a per-channel constant they slice it; Concat places its inputs' channels at offsets and Split
 * takes each part's back (a Split or Slice inside one layer's channels cuts its group in two); a
 * channel shuffle (Reshape → Transpose → Reshape, ShuffleNet) merges channel j of each part, which
 * then owns a block of positions ({@link #shuffle}); Conv, Gemm and MatMul read it through their weights. A group that reaches
 * a graph output or any other reader is pinned: removing its channels would change what the model
 * computes beyond the removed units.
 */
public final class ChannelGroups {

  /** A run of a group's channels inside an activation's channel axis. */
  private record Segment(int group, int offset, int block, int size) {
    /** The first position the segment's channels take on the channel axis. */
    int start() {
      return offset * block;
    }

    /** One past the last position. */
    int end() {
      return (offset + size) * block;
    }
  }

  private final Graph graph;
  private final OpTable table;
  private final ShapeInference.Result shapes;
  private final List<int[]> parent = new ArrayList<>();
  private final List<Builder> builders = new ArrayList<>();
  private final Map<String, List<Segment>> channels = new HashMap<>();
  /**
   * The axis of each carrying value its channels lie on, where it is not 1: the last axis of a
   * transformer's [B, T, E] activations, made by a MatMul of a rank-3 input with a 2-D weight.
   */
  private final Map<String, Integer> channelAxis = new HashMap<>();
  private final SharedTensors shared;
  /** The activations that hold a group's channels as attention heads, and how. */
  private final Map<String, HeadView> heads = new HashMap<>();
  /** Per initializer, each reading node's slices of it: what sharing must agree on. */
  private final Map<String, Map<String, Set<Use>>> uses = new java.util.LinkedHashMap<>();
  /** The Transposes and Reshapes of channel shuffles, followed with the Reshape that starts each. */
  private final Set<String> followed = new java.util.HashSet<>();

  /** One slice a node makes of an initializer, for group {@code group} (before merging). */
  private record Use(int group, int axis, int offset, int block) {}

  private static final class Builder {
    int size;
    final Set<String> producers = new LinkedHashSet<>();
    final Set<String> consumers = new LinkedHashSet<>();
    final Set<String> values = new LinkedHashSet<>();
    final Set<Slice> slices = new LinkedHashSet<>();
    final Set<ChannelGroup.ReshapeFix> reshapes = new LinkedHashSet<>();
    final Set<String> depthwise = new LinkedHashSet<>();
    final Set<String> gates = new LinkedHashSet<>();
    final Set<ShapeRewrite> rewrites = new LinkedHashSet<>();
    final Set<String> shuffles = new LinkedHashSet<>();
    int headSize;
    int unit = 1;
    String pinned;
    final Set<String> reasons = new LinkedHashSet<>();

    /** Takes on {@code other}'s layers, shape fixes, shuffles and reasons (not its slices or values). */
    void addRecords(Builder other) {
      reasons.addAll(other.reasons);
      producers.addAll(other.producers);
      consumers.addAll(other.consumers);
      reshapes.addAll(other.reshapes);
      depthwise.addAll(other.depthwise);
      gates.addAll(other.gates);
      rewrites.addAll(other.rewrites);
      shuffles.addAll(other.shuffles);
    }
  }

  private ChannelGroups(Graph graph, OpTable table) {
    this.graph = graph;
    this.table = table;
    this.shapes = ShapeInference.infer(table, graph, Map.of(), Map.of());
    this.shared = new SharedTensors(graph, table, shapes);
  }

  /** All channel groups of the model, in the order their producers appear. */
  public static List<ChannelGroup> of(Model model) {
    return of(model, OpTable.standard());
  }

  /** All channel groups of the model, with the ops of {@code table}. */
  public static List<ChannelGroup> of(Model model, OpTable table) {
    ChannelGroups a = new ChannelGroups(model.graph(), table);
    for (Node n : model.graph().nodes()) {
      // Nodes computed at load time (decoded weights, exporters' constant arithmetic) carry no channels.
      if (!n.outputs().stream().allMatch(o -> o.isEmpty() || a.shapes.constants().containsKey(o))) {
        a.visit(n);
      }
    }
    for (ValueInfo out : model.graph().outputs()) {
      a.pin(out.name(), "reaches the graph output '" + out.name() + "'");
    }
    return a.finish();
  }

  // ------------------------------------------------------------------ groups and union-find

  private int newGroup(int size, String producer) {
    int id = builders.size();
    Builder b = new Builder();
    b.size = size;
    if (producer != null) {
      b.producers.add(producer);
    }
    builders.add(b);
    parent.add(new int[] {id});
    return id;
  }

  private int find(int g) {
    while (parent.get(g)[0] != g) {
      parent.get(g)[0] = parent.get(parent.get(g)[0])[0];
      g = parent.get(g)[0];
    }
    return g;
  }

  private void union(int a, int b) {
    int ra = find(a);
    int rb = find(b);
    if (ra != rb) {
      parent.get(rb)[0] = ra;
    }
  }

  private Builder group(int g) {
    return builders.get(g);
  }

  private void pinGroup(int g, String why) {
    Builder b = group(g);
    if (b.pinned == null) {
      b.pinned = why;
    }
    b.reasons.add(why);
  }

  /** Pins every group carried by {@code value}. */
  private void pin(String value, String why) {
    for (Segment s : channels.getOrDefault(value, List.of())) {
      pinGroup(s.group(), why);
    }
    if (heads.containsKey(value)) {
      pinGroup(heads.get(value).group(), why);
    }
  }

  private void carry(String value, List<Segment> segs) {
    carry(value, segs, 1);
  }

  /** {@code value} carries {@code segs} along {@code axis}. */
  private void carry(String value, List<Segment> segs, int axis) {
    if (axis != 1) {
      channelAxis.put(value, axis);
    }
    channels.put(value, segs);
    for (Segment s : segs) {
      if (s.block() == 1) { // one activation channel per channel: what capture (APoZ) reads
        group(s.group()).values.add(value);
      }
    }
  }

  /** The axis the channels of {@code value} lie on (1 unless a rank-3 MatMul made them last). */
  private int axis(String value) {
    return channelAxis.getOrDefault(value, 1);
  }

  private int[] shape(String value) {
    return shapes.type(value).shape();
  }

  /** Whether {@code value} is an initializer, or a view of one (an exporter's Identity). */
  private boolean isWeight(String value) {
    return shared.root(value) != null;
  }

  /**
   * Node {@code n} owns a slice of weight {@code value} for group {@code g}: recorded under the
   * initializer the value is, so a tensor reached through Identity is cut where it is stored.
   */
  private void addSlice(int g, Node n, String value, int axis, int offset, int block, Slice.Role role) {
    String w = shared.root(value);
    group(g).slices.add(new Slice(w, axis, offset, block, role));
    uses.computeIfAbsent(w, k -> new java.util.LinkedHashMap<>())
        .computeIfAbsent(n.name(), k -> new LinkedHashSet<>()).add(new Use(g, axis, offset, block));
  }

  // ------------------------------------------------------------------ the rules

  private void visit(Node n) {
    if (followed.contains(n.name())) {
      return;
    }
    Op op = table.op(n);
    if (followHeads(n, op)) {
      return;
    }
    if (!followsLastAxis(op.channelRule()) && n.inputs().stream().anyMatch(in -> !in.isEmpty() && axis(in) != 1)) {
      for (String in : n.inputs()) {
        if (!in.isEmpty() && axis(in) != 1) {
          pin(in, op.channelRule() == dev.condense.ops.ChannelRule.SPATIAL && n.outputs().size() == 1
              && shape(n.output(0)).length == shape(in).length && shape(n.output(0))[axis(in)] < shape(in)[axis(in)]
              ? "cut into parts along its channel axis " + axis(in) + " by " + n.opType() + " node " + n.label()
                  + " (an attention's packed Q/K/V projection): the parts, and the heads a Reshape makes of them, are not followed"
              : "its channels lie on axis " + axis(in) + " of " + java.util.Arrays.toString(shape(in))
                  + ", which " + n.opType() + " node " + n.label() + " does not keep as channels");
        } else {
          pin(in, "read by " + n.opType() + " node " + n.label() + " together with channels on another axis");
        }
      }
      return;
    }
    switch (op.channelRule()) {
      case CONVOLUTION -> conv(n);
      case TRANSPOSED_CONVOLUTION -> convTranspose(n);
      case FULLY_CONNECTED -> gemm(n);
      case MATRIX_PRODUCT -> matMul(n);
      case PASS_THROUGH -> passThrough(n);
      case PER_CHANNEL -> {
        for (int i = 1; i <= 4; i++) {
          sliceParameter(n, n.input(0), n.input(i), 0);
        }
        if (n.outputs().size() > 1) {
          pin(n.input(0), n.opType() + " node " + n.label() + " outputs its statistics");
        }
        passThrough(n);
        for (Segment s : channels.getOrDefault(n.input(0), List.of())) {
          group(s.group()).consumers.add(n.name());
        }
      }
      case FLATTEN -> flatten(n, n.intAttr("axis", 1) == 1, null);
      case RESHAPE -> reshape(n);
      case BROADCAST -> binary(n);
      case CONCATENATE -> concat(n);
      case SPLIT -> split(n);
      case SLICE -> slice(n);
      case NONE -> { }
      case SPATIAL -> {
        String change = op.channelAxisChange(n, shape(n.input(0)), shapes.constants()::get);
        if (change == null) {
          passThrough(n);
        } else {
          pin(n.input(0), change + " by node " + n.label());
        }
      }
      case BLOCKS -> {
        for (String in : n.inputs()) {
          pin(in, "read by " + n.opType() + " node " + n.label());
        }
      }
    }
  }

  // ------------------------------------------------------------------ attention heads

  /**
   * Attention heads (Vaswani et al. 2017 §3.2.2): a Reshape that views the channels on the last
   * axis as [..., heads, d] or [..., N·heads, d] makes them heads, which go whole (the group's
   * unit becomes d); a Transpose moves them, a Softmax or an element-wise op with a broadcast
   * constant keeps them, the products Q·Kᵀ and scores·V keep head h with head h (merging the
   * groups of Q, K and V) and a Reshape that joins heads and components gives E channels again,
   * for the output projection to read. Both Reshapes' targets become constants that follow the
   * head count ({@link ShapeRewrite}). Torch-Pruning prunes nn.MultiheadAttention's heads as such
   * units too. Any other reader of heads pins them. Returns whether the node was handled here.
   */
  private boolean followHeads(Node n, Op op) {
    dev.condense.ops.ChannelRule rule = op.channelRule();
    List<String> viewed = n.inputs().stream().filter(heads::containsKey).toList();
    if (viewed.isEmpty()) {
      return rule == dev.condense.ops.ChannelRule.RESHAPE && splitHeads(n);
    }
    HeadView v = heads.get(viewed.get(0));
    String why;
    if (rule == dev.condense.ops.ChannelRule.RESHAPE && n.input(0).equals(viewed.get(0))) {
      ShapeRewrite join = v.merge(n.name(), shape(n.input(0)), shape(n.output(0)));
      if (join != null) {
        group(v.group()).rewrites.add(join);
        int[] out = shape(n.output(0));
        carry(n.output(0), List.of(new Segment(v.group(), 0, 1, v.count() * v.size())), out.length - 1);
        return true;
      }
      why = "reshaped by node " + n.label() + " other than back into heads × their size";
    } else if (rule == dev.condense.ops.ChannelRule.MATRIX_PRODUCT) {
      why = headProduct(n);
    } else if (rule == dev.condense.ops.ChannelRule.BROADCAST && viewed.size() == 1) {
      why = headsScaled(n, viewed.get(0), v);
    } else {
      why = headsKept(n, op, v);
    }
    if (why != null) {
      for (String in : viewed) {
        pin(in, why);
      }
    }
    return true;
  }

  /** A node of one input that keeps the heads' axis apart (Transpose, Softmax, an activation): null when followed. */
  private String headsKept(Node n, Op op, HeadView v) {
    boolean same = op.channelRule() == dev.condense.ops.ChannelRule.PASS_THROUGH;
    if (n.inputs().size() == 1 && n.outputs().size() == 1) {
      int rank = shape(n.input(0)).length;
      int axis = same ? v.axis() : op.keptAxis(n, rank, v.axis());
      int d = v.dAxis() < 0 ? -1 : same ? v.dAxis() : op.keptAxis(n, rank, v.dAxis());
      if (axis >= 0) {
        heads.put(n.output(0), v.moved(axis, d));
        return null;
      }
    }
    return "its attention heads are read by " + n.opType() + " node " + n.label() + ", which does not keep them apart";
  }

  /** A Reshape of channels on the last axis into heads: true if it is one (and now followed). */
  private boolean splitHeads(Node n) {
    List<Segment> segs = channels.get(n.input(0));
    int[] in = shape(n.input(0));
    if (segs == null || segs.size() != 1 || axis(n.input(0)) != in.length - 1 && in.length != 2) {
      return false;
    }
    Segment s = segs.get(0);
    HeadView v = s.offset() == 0 && s.block() == 1 && s.size() == in[in.length - 1]
        ? HeadView.split(s.group(), in, shape(n.output(0))) : null;
    if (v == null) {
      return false;
    }
    Builder b = group(s.group());
    if (b.headSize != 0 && b.headSize != v.size()) {
      pinGroup(s.group(), "viewed as heads of " + v.size() + " by node " + n.label() + " and of " + b.headSize + " elsewhere");
    }
    b.headSize = v.size();
    b.unit = lcm(b.unit, v.size());
    b.rewrites.add(ShapeRewrite.fixed(n.name(), 1, v.splitSpec(shape(n.output(0)).length)));
    heads.put(n.output(0), v);
    return true;
  }

  /**
   * A product of two heads views (Q·Kᵀ, scores·V): head h meets head h on the same batch axis,
   * one side's components contracted. Returns null when followed, else why not.
   */
  private String headProduct(Node n) {
    HeadView a = heads.get(n.input(0));
    HeadView b = heads.get(n.input(1));
    int r = shape(n.input(0)).length;
    if (a == null || b == null || shape(n.input(1)).length != r || !a.alignedWith(b) || a.axis() >= r - 2
        || shape(n.input(0))[a.axis()] != shape(n.input(1))[b.axis()]) {
      return "multiplied by MatMul node " + n.label() + " with something else than the same heads";
    }
    int d;
    if (a.dAxis() == r - 1 && b.dAxis() == r - 2) {
      d = -1; // Q·Kᵀ: the scores of each head
    } else if (a.dAxis() < 0 && b.dAxis() == r - 1) {
      d = r - 1; // scores·V: each head's values
    } else {
      return "multiplied by MatMul node " + n.label() + " along other axes than a head's components";
    }
    union(a.group(), b.group());
    heads.put(n.output(0), a.moved(a.axis(), d));
    return null;
  }

  /** Heads times (or plus, ...) a constant broadcast along the heads' axis (Q / √d): null when followed. */
  private String headsScaled(Node n, String value, HeadView v) {
    int[] vs = shape(value);
    if (!java.util.Arrays.equals(vs, shape(n.output(0)))) {
      return "broadcast by node " + n.label() + " to another shape";
    }
    for (String in : n.inputs()) {
      if (in.isEmpty() || heads.containsKey(in)) {
        continue;
      }
      int[] os = shape(in);
      int axis = v.axis() - (vs.length - os.length);
      boolean known = isWeight(in) || isConstant(in) || shapes.constants().containsKey(in);
      if (!known || axis >= 0 && os[axis] != 1) {
        return "combined by node " + n.label() + " with '" + in + "', which differs between heads";
      }
    }
    heads.put(n.output(0), v);
    return null;
  }

  /**
   * The rules that follow channels on any axis: element-wise ops keep every axis, a MatMul with a
   * weight contracts the last; every other rule reads axis 1, so channels elsewhere pin there.
   */
  private static boolean followsLastAxis(dev.condense.ops.ChannelRule rule) {
    return rule == dev.condense.ops.ChannelRule.PASS_THROUGH || rule == dev.condense.ops.ChannelRule.BROADCAST
        || rule == dev.condense.ops.ChannelRule.MATRIX_PRODUCT || rule == dev.condense.ops.ChannelRule.SLICE;
  }

  private void passThrough(Node n) {
    List<Segment> segs = channels.get(n.input(0));
    for (int i = 1; i < n.inputs().size(); i++) {
      pin(n.input(i), "used as a parameter by node " + n.label());
    }
    if (segs != null) {
      carry(n.output(0), segs, axis(n.input(0)));
    }
  }

  /** Slices a per-channel parameter {@code param} (shape [C]) of the channels of {@code value}. */
  private void sliceParameter(Node n, String value, String param, int axis) {
    if (param.isEmpty()) {
      return;
    }
    for (Segment s : channels.getOrDefault(value, List.of())) {
      if (isWeight(param)) {
        addSlice(s.group(), n, param, axis, s.offset(), s.block(), Slice.Role.PARAMETER);
      } else {
        pinGroup(s.group(), "per-channel parameter '" + param + "' is not an initializer");
      }
    }
  }

  /** The node reads the channels of {@code value} through weight {@code w} along {@code axis}. */
  private void consume(Node n, String value, String w, int axis) {
    for (Segment s : channels.getOrDefault(value, List.of())) {
      Builder b = group(s.group());
      b.consumers.add(n.name());
      addSlice(s.group(), n, w, axis, s.offset(), s.block(), Slice.Role.CONSUMER);
    }
  }

  private void conv(Node n) {
    String x = n.input(0);
    String w = n.input(1);
    int[] ws = shape(w);
    int group = (int) n.intAttr("group", 1);
    int cin = shape(x)[1];
    if (!isWeight(w)) {
      pin(x, "Conv node " + n.label() + " has a computed weight");
      return;
    }
    if (group > 1 && ws[0] == cin) {
      groupedPassThrough(n, x, ws[1]);
      return;
    }
    if (group > 1) {
      pin(x, "grouped Conv node " + n.label() + " makes " + ws[0] + " channels from " + cin
          + ": only one with as many outputs as inputs per group keeps channel c as channel c");
    }
    consume(n, x, w, 1); // a channel of a block of positions (after a shuffle) owns that many input channels
    int g = newGroup(ws[0], n.name());
    addSlice(g, n, w, 0, 0, 1, Slice.Role.PRODUCER);
    if (n.hasInput(2)) {
      addSlice(g, n, n.input(2), 0, 0, 1, Slice.Role.PRODUCER);
    }
    if (group > 1) {
      pinGroup(g, "made by grouped Conv node " + n.label() + ", whose outputs per group differ from its inputs");
    }
    carry(n.output(0), List.of(new Segment(g, 0, 1, ws[0])));
  }

  /**
   * ConvTranspose, W [C_in, C_out/group, k...]: input channels are read through weight axis 0,
   * new channels made along weight axis 1 and the bias. A grouped one with as many outputs as
   * inputs keeps channel c as channel c (its groups go whole, as a grouped Conv's do); any other
   * grouped one pins both sides, as its output channel j of group k depends on axis 1 and the group.
   */
  private void convTranspose(Node n) {
    String x = n.input(0);
    String w = n.input(1);
    if (!isWeight(w)) {
      pin(x, "ConvTranspose node " + n.label() + " has a computed weight");
      return;
    }
    int[] ws = shape(w);
    int group = (int) n.intAttr("group", 1);
    int out = ws[1] * group;
    if (group > 1 && out == ws[0]) {
      groupedPassThrough(n, x, ws[0] / group);
      return;
    }
    if (group > 1) {
      pin(x, "grouped ConvTranspose node " + n.label() + " makes " + out + " channels from " + ws[0]
          + ": only one with as many outputs as inputs per group keeps channel c as channel c");
    }
    for (Segment s : channels.getOrDefault(x, List.of())) {
      if (s.block() != 1) {
        pinGroup(s.group(), "ConvTranspose node " + n.label() + " reads flattened channels");
      }
    }
    consume(n, x, w, 0);
    int g = newGroup(out, n.name());
    addSlice(g, n, w, 1, 0, 1, Slice.Role.PRODUCER);
    if (n.hasInput(2)) {
      addSlice(g, n, n.input(2), 0, 0, 1, Slice.Role.PRODUCER);
    }
    if (group > 1) {
      pinGroup(g, "made by grouped ConvTranspose node " + n.label() + ", whose outputs per group differ from its inputs");
    }
    carry(n.output(0), List.of(new Segment(g, 0, 1, out)));
  }

  /**
   * A depthwise ({@code perGroup} 1) or grouped Conv with as many outputs as inputs: channel c in
   * is channel c out, so input and output are one group, its filter rows and bias are sliced with
   * it, and channels go in whole groups of {@code perGroup} (the group attribute shrinks by one
   * per group removed; Torch-Pruning's DepGraph couples a grouped conv's in and out likewise).
   */
  private void groupedPassThrough(Node n, String x, int perGroup) {
    sliceParameter(n, x, n.input(1), 0);
    sliceParameter(n, x, n.input(2), 0);
    List<Segment> segs = channels.getOrDefault(x, List.of());
    for (Segment s : segs) {
      Builder b = group(s.group());
      b.consumers.add(n.name());
      b.depthwise.add(n.name());
      b.unit = lcm(b.unit, perGroup);
    }
    // A depthwise Conv (one input channel per group) passes any layout of groups and blocks; a
    // grouped one needs its groups' blocks aligned with the one group it carries.
    if (perGroup > 1 && segs.size() != 1) {
      pin(x, "grouped Conv node " + n.label() + " over channels of several groups");
    } else if (perGroup > 1 && (segs.get(0).block() != 1 || segs.get(0).offset() != 0)) {
      pin(x, "grouped Conv node " + n.label() + " reads its channels at an offset");
    }
    passThrough(n.withInputs(List.of(x)));
  }

  private static int lcm(int a, int b) {
    return a / java.math.BigInteger.valueOf(a).gcd(java.math.BigInteger.valueOf(b)).intValue() * b;
  }

  private void gemm(Node n) {
    String a = n.input(0);
    String b = n.input(1);
    boolean transB = n.intAttr("transB", 0) != 0;
    if (!isWeight(b) || n.intAttr("transA", 0) != 0 || isWeight(a)) {
      pin(a, "Gemm node " + n.label() + " is not a layer with a weight initializer");
      pin(b, "Gemm node " + n.label() + " is not a layer with a weight initializer");
      return;
    }
    consume(n, a, b, transB ? 1 : 0);
    int out = shape(n.output(0))[1];
    int g = newGroup(out, n.name());
    addSlice(g, n, b, transB ? 0 : 1, 0, 1, Slice.Role.PRODUCER);
    if (n.hasInput(2)) {
      String c = n.input(2);
      int[] cs = shape(c);
      if (isWeight(c) && cs.length >= 1 && cs[cs.length - 1] == out && Tensor.numel(cs) == out) {
        addSlice(g, n, c, cs.length - 1, 0, 1, Slice.Role.PRODUCER);
      } else if (Tensor.numel(cs) != 1) {
        pinGroup(g, "Gemm node " + n.label() + " adds a C that is not a per-output bias");
      }
    }
    carry(n.output(0), List.of(new Segment(g, 0, 1, out)));
  }

  /**
   * MatMul of an activation [..., K] with a 2-D weight [K, N]: reads the channels on the input's
   * last axis through weight rows, makes N new ones (weight columns) on the output's last axis —
   * axis 1 of a 2-D input, the feature axis of a transformer's [B, T, E] (a Linear as PyTorch
   * exports it, its bias an Add that {@link #binary} slices).
   */
  private void matMul(Node n) {
    String a = n.input(0);
    String b = n.input(1);
    int rank = shape(a).length;
    if (!isWeight(b) || shape(b).length != 2 || rank < 2 || isWeight(a)) {
      pin(a, "MatMul node " + n.label() + " is not a layer with a 2-D weight initializer");
      pin(b, "MatMul node " + n.label() + " is not a layer with a 2-D weight initializer");
      return;
    }
    if (channels.containsKey(a) && axis(a) != rank - 1) {
      pin(a, "MatMul node " + n.label() + " contracts the last axis of " + java.util.Arrays.toString(shape(a))
          + ", not the channels' axis " + axis(a));
    } else {
      consume(n, a, b, 0);
    }
    int out = shape(b)[1];
    int parts = packedParts(n.output(0), out);
    int g = newGroup(out / parts, n.name());
    List<Segment> segs = new ArrayList<>();
    for (int i = 0; i < parts; i++) {
      addSlice(g, n, b, 1, i * (out / parts), 1, Slice.Role.PRODUCER);
      segs.add(new Segment(g, i * (out / parts), 1, out / parts));
    }
    carry(n.output(0), segs, shape(n.output(0)).length - 1);
  }

  /**
   * Into how many equal parts Slices cut the {@code width} channels a layer makes on the last axis
   * of {@code value} (after its bias Add, if any): 3 for an attention's packed Q/K/V projection, 1
   * when they are not cut so. The parts' channel j then goes together — one group of width/parts
   * channels, each owning one column per part — which is what keeps head h of Q, K and V together.
   */
  private int packedParts(String value, int width) {
    List<Node> readers = channelReaders(value);
    if (readers.size() == 1 && table.op(readers.get(0)).channelRule() == dev.condense.ops.ChannelRule.BROADCAST
        && readers.get(0).inputs().size() == 2 && readers.get(0).inputs().stream().anyMatch(this::isWeight)) {
      readers = channelReaders(readers.get(0).output(0)); // through the bias
    }
    if (readers.size() < 2) {
      return 1;
    }
    List<int[]> ranges = new ArrayList<>();
    for (Node r : readers) {
      int[] range = table.op(r).channelRule() == dev.condense.ops.ChannelRule.SLICE
          ? channelRange(r, shape(r.input(0)).length - 1) : null;
      if (range == null) {
        return 1;
      }
      ranges.add(range);
    }
    ranges.sort(java.util.Comparator.comparingInt(x -> x[0]));
    int part = width / ranges.size();
    for (int i = 0; i < ranges.size(); i++) {
      if (width % ranges.size() != 0 || ranges.get(i)[0] != i * part || ranges.get(i)[1] != (i + 1) * part) {
        return 1;
      }
    }
    return ranges.size();
  }

  /** The readers of {@code value} that compute at run time (not its Shape, folded from types). */
  private List<Node> channelReaders(String value) {
    return graph.consumers(value).stream()
        .filter(r -> !r.outputs().stream().allMatch(o -> o.isEmpty() || shapes.constants().containsKey(o))).toList();
  }

  /**
   * The range [start, end) Slice node {@code n} keeps of axis {@code axis} of its input, when it
   * slices only that axis, with step 1, from bounds known when the model loads; else null.
   */
  private int[] channelRange(Node n, int axis) {
    int[] x = shape(n.input(0));
    dev.condense.graph.SliceSpec spec = sliceSpec(n);
    if (spec == null) {
      return null;
    }
    for (int a = 0; a < x.length; a++) {
      if (a != axis && !spec.whole(a, x[a])) {
        return null;
      }
    }
    if (spec.step()[axis] != 1) {
      return null;
    }
    return new int[] {spec.start()[axis], spec.start()[axis] + spec.count()[axis]};
  }

  /** What Slice node {@code n} keeps of each axis, or null where its bounds are known only at run time. */
  private dev.condense.graph.SliceSpec sliceSpec(Node n) {
    for (int i = 1; i < n.inputs().size(); i++) {
      if (!n.input(i).isEmpty() && !shapes.constants().containsKey(n.input(i)) && !isWeight(n.input(i))) {
        return null;
      }
    }
    return dev.condense.graph.SliceSpec.of(n, shape(n.input(0)), name -> constant(name));
  }

  private Tensor constant(String name) {
    Tensor t = shapes.constants().get(name);
    return t != null ? t : shared.root(name) != null ? graph.initializer(shared.root(name)) : null;
  }

  /**
   * Slice of a range of the channel axis: the segments inside it go on at their offset within the
   * range; one cut across pins. The bounds become constants that shrink with the groups before them
   * ({@link ShapeRewrite}), as an exporter's bounds computed from shapes need not.
   */
  private void slice(Node n) {
    String x = n.input(0);
    List<Segment> segs = channels.get(x);
    if (segs == null) {
      return;
    }
    int a = axis(x);
    dev.condense.graph.SliceSpec spec = sliceSpec(n);
    if (spec != null && spec.whole(a, shape(x)[a])) {
      passThrough(n); // a spatial subsample (ResNet's option-A shortcut) keeps every channel
      return;
    }
    int[] range = channelRange(n, a);
    if (range == null) {
      pin(x, "sliced by node " + n.label() + " along its channel axis and others, or with bounds known only at run time");
      return;
    }
    segs = cutAt(x, range, n);
    List<Segment> part = new ArrayList<>();
    for (Segment s : segs) {
      boolean inside = s.start() >= range[0] && s.end() <= range[1];
      if (inside && (s.start() - range[0]) % s.block() == 0) {
        part.add(new Segment(s.group(), (s.start() - range[0]) / s.block(), s.block(), s.size()));
      } else if (inside || s.start() < range[1] && s.end() > range[0]) {
        pinGroup(s.group(), "sliced by node " + n.label() + " inside the channels of one layer" + withinBlock(s, range));
      }
    }
    for (Segment s : segs) {
      long starts = segs.stream().filter(o -> o.group() == s.group() && o.end() <= range[0]).mapToLong(Segment::block).sum();
      long ends = segs.stream().filter(o -> o.group() == s.group() && o.end() <= range[1]).mapToLong(Segment::block).sum();
      Builder b = group(s.group());
      b.rewrites.add(new ShapeRewrite(n.name(), 1, new long[] {range[0]}, new long[] {starts}));
      b.rewrites.add(new ShapeRewrite(n.name(), 2, new long[] {range[1]}, new long[] {ends}));
      b.rewrites.add(ShapeRewrite.fixed(n.name(), 3, new long[] {a}));
      b.rewrites.add(ShapeRewrite.fixed(n.name(), 4, new long[] {1}));
    }
    if (!part.isEmpty()) {
      carry(n.output(0), part, a);
    }
  }

  /** Flatten at axis 1 (or a Reshape that does the same): channel c becomes H×W features. */
  private void flatten(Node n, boolean atChannels, String reshapeTarget) {
    String x = n.input(0);
    List<Segment> segs = channels.get(x);
    if (segs == null) {
      return;
    }
    if (!atChannels) {
      pin(x, "flattened across the channel axis by node " + n.label());
      return;
    }
    int[] s = shape(x);
    int plane = (int) (Tensor.numel(s) / Math.max(1, (long) s[0] * s[1]));
    List<Segment> out = new ArrayList<>();
    for (Segment seg : segs) {
      int block = seg.block() * plane;
      out.add(new Segment(seg.group(), seg.offset(), block, seg.size()));
      if (reshapeTarget != null) {
        group(seg.group()).reshapes.add(new ChannelGroup.ReshapeFix(reshapeTarget, -1, block));
      }
    }
    carry(n.output(0), out);
  }

  private void reshape(Node n) {
    int[] in = shape(n.input(0));
    int[] out = shape(n.output(0));
    boolean flattening = out.length == 2 && in.length >= 2 && out[0] == in[0];
    if (flattening && graph.initializer(n.input(1)) != null) {
      long[] spec = graph.initializer(n.input(1)).toLongs();
      flatten(n, spec.length == 2 && spec[1] != 0, n.input(1));
      return;
    }
    if (in.length == out.length && java.util.Arrays.equals(in, out)) {
      passThrough(n);
      return;
    }
    boolean channelsSplit = out.length == in.length + 1 && in.length >= 2 && out[0] == in[0]
        && (long) out[1] * out[2] == in[1] && out[1] > 1 && out[2] > 1;
    Node[] rest = channelsSplit ? shuffleRest(n) : null;
    if (rest != null) {
      shuffle(n, rest[0], rest[1]);
      return;
    }
    pin(n.input(0), channelsSplit
        ? "its " + in[1] + " channels viewed as " + out[1] + " × " + out[2] + " by node " + n.label()
            + " (a channel shuffle or grouped view): channels are not followed through it"
        : "reshaped by node " + n.label() + " from " + java.util.Arrays.toString(in) + " to " + java.util.Arrays.toString(out));
  }

  /**
   * Inputs combined element by element with broadcasting (Add, Mul, PRelu, Sum of several):
   * inputs that carry channels merge their groups when they are laid out alike, every other input
   * is sliced with the channels when it holds one value per channel, or broadcast along them.
   */
  private void binary(Node n) {
    List<String> carriers = new ArrayList<>();
    for (String in : n.inputs()) {
      if (!in.isEmpty() && channels.get(in) != null) {
        carriers.add(in);
      }
    }
    if (carriers.isEmpty()) {
      return;
    }
    String value = carriers.get(0);
    for (String c : carriers) {
      if (Tensor.numel(shape(c)) > Tensor.numel(shape(value))) {
        value = c; // the trunk: what the smaller carriers broadcast to
      }
    }
    List<Segment> segs = channels.get(value);
    int a = axis(value);
    for (String c : carriers) {
      List<Segment> sc = channels.get(c);
      if (!(sc.size() == segs.size() && axis(c) == a && broadcastsAlongChannels(shape(c), shape(value), a)
          && sameLayout(segs, sc))) {
        for (String x : carriers) {
          pin(x, "combined by node " + n.label() + " with channels laid out differently");
        }
        return;
      }
    }
    for (String c : carriers) {
      List<Segment> sc = channels.get(c);
      boolean gate = !java.util.Arrays.equals(shape(c), shape(value));
      for (int i = 0; i < segs.size(); i++) {
        if (gate && find(segs.get(i).group()) != find(sc.get(i).group())) {
          markGate(sc.get(i).group());
        }
        union(segs.get(i).group(), sc.get(i).group());
      }
    }
    int[] vs = shape(value);
    Map<String, Integer> perChannel = new java.util.LinkedHashMap<>(); // parameter -> its channel axis
    for (String other : n.inputs()) {
      if (other.isEmpty() || carriers.contains(other)) {
        continue;
      }
      int[] os = shape(other);
      int axis = a - (vs.length - os.length);
      if (axis < 0 || os[axis] == 1) {
        if (!isWeight(other) && graph.producer(other) != null && !isConstant(other)) {
          pin(value, "combined by node " + n.label() + " with a computed value");
          return;
        }
        continue; // broadcast along the channel axis: nothing to slice
      }
      if (!isWeight(other) && Tensor.numel(os) == Tensor.numel(vs)) {
        pin(value, "combined by node " + n.label() + " with '" + other + "', whose channels are not followed"
            + " (a residual stream pinned where it was made)");
        return;
      }
      if (!isWeight(other) || os[axis] != vs[a]) {
        pin(value, "combined by node " + n.label() + " with '" + other + "'");
        return;
      }
      perChannel.put(other, axis);
    }
    perChannel.forEach((other, axis) -> {
      for (Segment s : segs) {
        addSlice(s.group(), n, other, axis, s.offset(), s.block(), Slice.Role.PARAMETER);
      }
    });
    carry(n.output(0), segs, a);
  }

  /**
   * Whether {@code small} meets {@code big} element by element with channel c against channel c
   * (channels on {@code axis}): the same rank and channel count, every other axis equal or 1 in
   * {@code small} (a squeeze-and-excitation gate of shape [N, C, 1, 1] rescaling an [N, C, H, W] trunk).
   */
  private static boolean broadcastsAlongChannels(int[] small, int[] big, int axis) {
    if (small.length != big.length || small.length < 2 || small[axis] != big[axis]) {
      return false;
    }
    for (int i = 0; i < small.length; i++) {
      if (small[i] != big[i] && small[i] != 1) {
        return false;
      }
    }
    return true;
  }

  /**
   * The producers of group {@code g} (before merging) make a per-channel factor broadcast over a
   * trunk: they become its gates, their filters and biases {@link Slice.Role#GATE} slices.
   */
  private void markGate(int g) {
    Builder b = group(g);
    b.gates.addAll(b.producers);
    List<Slice> slices = new ArrayList<>(b.slices);
    b.slices.clear();
    for (Slice s : slices) {
      b.slices.add(s.role() == Slice.Role.PRODUCER ? new Slice(s.tensor(), s.axis(), s.offset(), s.block(), Slice.Role.GATE) : s);
    }
  }

  private boolean isConstant(String value) {
    Node p = graph.producer(value);
    return p != null && table.kind(p) == Kind.CONSTANT;
  }

  private static boolean sameLayout(List<Segment> a, List<Segment> b) {
    for (int i = 0; i < a.size(); i++) {
      Segment x = a.get(i);
      Segment y = b.get(i);
      if (x.offset() != y.offset() || x.block() != y.block() || x.size() != y.size()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Split along the channels: each segment goes to the part that holds it, at the part's offset,
   * and the part's entry of the sizes tensor shrinks with its group; a segment cut across two
   * parts, or sizes the thinning cannot change (none given, computed, or shared with another
   * node), pin. Along another axis every part carries the input's channels.
   */
  private void split(Node n) {
    String x = n.input(0);
    List<Segment> segs = channels.get(x);
    if (segs == null) {
      return;
    }
    dev.condense.graph.SplitSpec spec = dev.condense.graph.SplitSpec.of(n, shape(x), shapes.constants()::get);
    if (spec.axis() != 1) {
      n.outputs().stream().filter(o -> !o.isEmpty()).forEach(o -> carry(o, segs));
      return;
    }
    String sizes = n.inputs().size() > 1 && !n.input(1).isEmpty() ? shared.root(n.input(1)) : null;
    String fixed = sizes == null ? "split into equal parts by node " + n.label() + ", which would stay equal"
        : shared.readers(sizes).size() > 1 ? "split by node " + n.label() + " with sizes '" + sizes + "' that other nodes read too"
        : null;
    List<List<Segment>> parts = new ArrayList<>();
    int start = 0;
    for (int size : spec.sizes()) {
      List<Segment> part = new ArrayList<>();
      for (Segment s : cutAt(x, new int[] {start, start + size}, n)) {
        boolean inside = s.start() >= start && s.end() <= start + size;
        if (inside && (s.start() - start) % s.block() == 0) {
          part.add(new Segment(s.group(), (s.start() - start) / s.block(), s.block(), s.size()));
          if (fixed == null) {
            group(s.group()).reshapes.add(new ChannelGroup.ReshapeFix(sizes, parts.size(), s.block()));
          } else {
            pinGroup(s.group(), fixed);
          }
        } else if (s.start() < start + size && s.end() > start) {
          pinGroup(s.group(), "split by node " + n.label() + " inside the channels of one layer"
              + withinBlock(s, new int[] {start, start + size}));
        }
      }
      parts.add(part);
      start += size;
    }
    for (int i = 0; i < parts.size(); i++) {
      if (!parts.get(i).isEmpty() && !n.output(i).isEmpty()) {
        carry(n.output(i), parts.get(i));
      }
    }
  }

  /**
   * The Transpose and Reshape that make a channel shuffle of Reshape {@code view} (which views
   * [N, C, ...] as [N, g, C/g, ...]): its one reader swaps axes 1 and 2 and nothing else, and that
   * one's one reader reshapes back to [N, C, ...]. Null when the three are not a shuffle.
   */
  private Node[] shuffleRest(Node view) {
    List<Node> readers = channelReaders(view.output(0));
    if (readers.size() != 1 || readers.get(0).inputs().size() != 1) {
      return null;
    }
    Node t = readers.get(0);
    int rank = shape(view.output(0)).length;
    for (int a = 0; a < rank; a++) {
      if (table.op(t).keptAxis(t, rank, a) != (a == 1 ? 2 : a == 2 ? 1 : a)) {
        return null;
      }
    }
    List<Node> after = channelReaders(t.output(0));
    if (after.size() != 1 || table.op(after.get(0)).channelRule() != dev.condense.ops.ChannelRule.RESHAPE
        || !after.get(0).input(0).equals(t.output(0))
        || !java.util.Arrays.equals(shape(after.get(0).output(0)), shape(view.input(0)))) {
      return null;
    }
    return new Node[] {t, after.get(0)};
  }

  /**
   * A channel shuffle (Zhang et al. 2018, ShuffleNet §3.1; ShuffleNet v2's Reshape(N, g, C/g, H, W)
   * → Transpose(0, 2, 1, 3, 4) → Reshape(N, C, H, W)): position p of part k (of g parts of C/g)
   * moves to position p·g + k, interleaving the parts. It stays a shuffle of equal parts after a
   * removal only if every part loses the same positions, so the parts must be laid out alike: a
   * layer's channels that span parts are first cut at the part boundaries ({@link #refine}), then
   * segment i of every part merges with segment i of the first — channel j of each part goes
   * together — and the merged channel j owns g times as many consecutive positions after the
   * shuffle as it held in one part. Parts laid out differently pin, saying so. Both Reshapes'
   * targets become constants in which C/g and C shrink with the groups ({@link ShapeRewrite}).
   */
  private void shuffle(Node view, Node transpose, Node back) {
    followed.add(transpose.name());
    followed.add(back.name());
    String x = view.input(0);
    int[] in = shape(x);
    int g = shape(view.output(0))[1];
    int part = in[1] / g;
    if (channels.get(x) == null) {
      return;
    }
    for (int k = 1; k < g; k++) {
      cutAt(x, new int[] {k * part, k * part}, view);
    }
    while (matchBlocks(partsOf(channels.get(x), part, g))) {
      // each pass coarsens one group; the parts are taken again
    }
    List<List<Segment>> parts = partsOf(channels.get(x), part, g);
    String why = parts != null ? null : "its channels of one layer cross the " + part + "-channel parts of the channel"
        + " shuffle at node " + view.label() + " in a way that cannot be cut at a channel";
    for (int k = 1; k < g && why == null; k++) {
      if (!sameLayout(parts.get(0), parts.get(k))) {
        why = "interleaved by the channel shuffle at node " + view.label() + " with its " + g + " parts laid out"
            + " differently (" + layout(parts.get(0)) + " against " + layout(parts.get(k)) + "): removing a channel"
            + " from one part has no matching channel to remove from the other, so the parts would differ in size";
      }
    }
    if (why != null) {
      pin(x, why);
      // What comes out is known to be pinned: a group of its own says why to whatever meets it later.
      int unfollowed = newGroup(in[1], null);
      pinGroup(unfollowed, "meets the " + in[1] + " channels that the channel shuffle at node " + view.label()
          + " interleaves without following them (its parts are laid out differently)");
      carry(back.output(0), List.of(new Segment(unfollowed, 0, 1, in[1])));
      return;
    }
    List<Segment> out = new ArrayList<>();
    Map<Integer, long[]> viewShrink = new java.util.LinkedHashMap<>();
    for (int i = 0; i < parts.get(0).size(); i++) {
      Segment s = parts.get(0).get(i);
      for (int k = 1; k < g; k++) {
        union(s.group(), parts.get(k).get(i).group());
      }
      out.add(new Segment(s.group(), s.offset() / s.block(), s.block() * g, s.size()));
      viewShrink.computeIfAbsent(s.group(), key -> new long[1])[0] += s.block();
    }
    long[] viewSpec = targetOf(view);
    long[] backSpec = targetOf(back);
    viewShrink.forEach((grp, per) -> {
      long[] a = new long[viewSpec.length];
      a[2] = viewSpec[2] > 0 ? per[0] : 0;
      long[] b = new long[backSpec.length];
      b[1] = backSpec[1] > 0 ? per[0] * g : 0;
      group(grp).rewrites.add(new ShapeRewrite(view.name(), 1, viewSpec, a));
      group(grp).rewrites.add(new ShapeRewrite(back.name(), 1, backSpec, b));
      group(grp).shuffles.add(view.name());
    });
    carry(back.output(0), out);
  }

  /**
   * The segments of each of the {@code g} parts of {@code part} positions, each at its position
   * within the part (in the offset field); null where one crosses a part boundary.
   */
  private static List<List<Segment>> partsOf(List<Segment> segs, int part, int g) {
    List<List<Segment>> parts = new ArrayList<>();
    for (int k = 0; k < g; k++) {
      parts.add(new ArrayList<>());
    }
    for (Segment s : segs) {
      int k = s.start() / part;
      if (s.end() > (k + 1) * part) {
        return null;
      }
      parts.get(k).add(new Segment(s.group(), s.start() - k * part, s.block(), s.size()));
    }
    return parts;
  }

  /**
   * Where segment i of two parts covers the same positions, one in blocks r times as wide as the
   * other's (ShuffleNet v2's stride-1 block: the half of the shuffled stream that goes on, its
   * channels two positions each, beside the branch's new channels of one), coarsens the finer
   * group to channels of r ({@link #coarsen}), so that both can lose matching positions. Returns
   * whether it changed anything.
   */
  private boolean matchBlocks(List<List<Segment>> parts) {
    if (parts == null) {
      return false;
    }
    for (int k = 1; k < parts.size(); k++) {
      for (int i = 0; i < Math.min(parts.get(0).size(), parts.get(k).size()); i++) {
        Segment a = parts.get(0).get(i);
        Segment b = parts.get(k).get(i);
        Segment fine = a.block() < b.block() ? a : b;
        Segment coarse = fine == a ? b : a;
        if (a.offset() == b.offset() && a.block() * a.size() == b.block() * b.size() && a.block() != b.block()
            && coarse.block() % fine.block() == 0 && coarsen(fine.group(), coarse.block() / fine.block())) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Makes every r consecutive channels of group {@code g} (with every group merged with it) one
   * channel: they go together from now on. Each slice, segment and shrink counts r times as much per
   * channel. Refused (false) for attention heads, sizes or offsets that are not multiples of r.
   */
  private boolean coarsen(int g, int r) {
    int root = find(g);
    List<Integer> members = new ArrayList<>();
    for (int m = 0; m < builders.size(); m++) {
      if (find(m) == root) {
        Builder b = group(m);
        if (b.size % r != 0 || b.headSize != 0 || b.slices.stream().anyMatch(x -> x.offset() % r != 0)) {
          return false;
        }
        members.add(m);
      }
    }
    for (List<Segment> segs : channels.values()) {
      if (segs.stream().anyMatch(x -> members.contains(x.group()) && x.offset() % r != 0)) {
        return false;
      }
    }
    for (int m : members) {
      Builder b = group(m);
      b.size /= r;
      b.values.clear(); // channel j is r activation channels now
      List<Slice> slices = new ArrayList<>(b.slices);
      b.slices.clear();
      slices.forEach(x -> b.slices.add(new Slice(x.tensor(), x.axis(), x.offset() / r, x.block() * r, x.role())));
      List<ShapeRewrite> rewrites = new ArrayList<>(b.rewrites);
      b.rewrites.clear();
      for (ShapeRewrite w : rewrites) {
        long[] per = w.perRemoved();
        for (int i = 0; i < per.length; i++) {
          per[i] *= r;
        }
        b.rewrites.add(new ShapeRewrite(w.node(), w.input(), w.spec(), per));
      }
      List<ChannelGroup.ReshapeFix> fixes = new ArrayList<>(b.reshapes);
      b.reshapes.clear();
      fixes.forEach(f -> b.reshapes.add(new ChannelGroup.ReshapeFix(f.shapeTensor(), f.index(), f.block() * r)));
      b.unit = lcm(b.unit, r) / r;
    }
    for (Map<String, Set<Use>> byNode : uses.values()) {
      for (Set<Use> us : byNode.values()) {
        List<Use> all = new ArrayList<>(us);
        us.clear();
        all.forEach(u -> us.add(members.contains(u.group()) ? new Use(u.group(), u.axis(), u.offset() / r, u.block() * r) : u));
      }
    }
    for (Map.Entry<String, List<Segment>> e : channels.entrySet()) {
      e.setValue(e.getValue().stream().map(x -> members.contains(x.group())
          ? new Segment(x.group(), x.offset() / r, x.block() * r, x.size() / r) : x).toList());
    }
    return true;
  }

  /** A Reshape's target as the model gives it (a constant), else its output shape. */
  private long[] targetOf(Node reshape) {
    Tensor t = constant(reshape.input(1));
    if (t != null) {
      return t.toLongs();
    }
    return java.util.Arrays.stream(shape(reshape.output(0))).asLongStream().toArray();
  }

  /** The segments of one part of a shuffle, as "8 channels of 2 positions from 0, ...". */
  private static String layout(List<Segment> part) {
    List<String> out = new ArrayList<>();
    for (Segment s : part) {
      out.add(s.size() + " channels" + (s.block() == 1 ? "" : " of " + s.block() + " positions") + " from " + s.offset());
    }
    return out.isEmpty() ? "no layer's channels" : String.join(", ", out);
  }

  /** Where a cut at one of {@code bounds} falls inside one channel's block of positions: says so. */
  private static String withinBlock(Segment s, int[] bounds) {
    for (int r : bounds) {
      if (s.block() > 1 && s.start() < r && r < s.end() && (r - s.start()) % s.block() != 0) {
        return ", at position " + r + " inside one of its channels of " + s.block() + " positions (each channel shuffle"
            + " on the way made a channel own one position of each part)";
      }
    }
    return "";
  }

  /**
   * The segments of {@code value} after cutting, at each position of {@code bounds} that falls
   * inside one layer's channels at a channel boundary, that layer's group in two ({@link #refine});
   * a bound inside one channel's block, or in a group that cannot be cut, leaves it whole.
   */
  private List<Segment> cutAt(String value, int[] bounds, Node n) {
    for (int r : bounds) {
      for (Segment s : List.copyOf(channels.getOrDefault(value, List.of()))) {
        if (s.start() < r && r < s.end() && (r - s.start()) % s.block() == 0) {
          refine(s.group(), (r - s.start()) / s.block());
        }
      }
    }
    return channels.getOrDefault(value, List.of());
  }

  /**
   * Cuts group {@code g} — with every group merged with it — into its channels [0, k) and [k, size):
   * where a Slice, a Split or a shuffle's parts divide one layer's channels, each side goes on as a
   * group of its own (ShuffleNet v2's chunk of a shuffled stream: half of each layer's channels go
   * on unchanged, half into the next branch). Every record of the group is copied to the second one,
   * its slices moved by k channels; every segment that carries it is cut in two. Groups of
   * attention heads, of whole blocks not aligned at k, or merged from groups of different sizes stay whole.
   */
  private void refine(int g, int k) {
    int root = find(g);
    int size = group(g).size;
    List<Integer> members = new ArrayList<>();
    for (int m = 0; m < builders.size(); m++) {
      if (find(m) == root) {
        Builder b = group(m);
        if (b.size != size || b.headSize != 0 || k % b.unit != 0 || (size - k) % b.unit != 0) {
          return;
        }
        members.add(m);
      }
    }
    Map<Integer, Integer> high = new HashMap<>();
    for (int m : members) {
      Builder b = group(m);
      int h = newGroup(size - k, null);
      Builder c = group(h);
      c.addRecords(b);
      b.values.clear(); // activations that carry the whole layer: no longer channel j = this group's j
      c.pinned = b.pinned;
      c.unit = b.unit;
      for (Slice s : b.slices) {
        c.slices.add(new Slice(s.tensor(), s.axis(), s.offset() + k, s.block(), s.role()));
      }
      b.size = k;
      high.put(m, h);
    }
    for (int m : members) {
      union(high.get(members.get(0)), high.get(m));
    }
    for (Map<String, Set<Use>> byNode : uses.values()) {
      for (Set<Use> us : byNode.values()) {
        List<Use> more = new ArrayList<>();
        for (Use u : us) {
          if (high.containsKey(u.group())) {
            more.add(new Use(high.get(u.group()), u.axis(), u.offset() + k, u.block()));
          }
        }
        us.addAll(more);
      }
    }
    for (Map.Entry<String, List<Segment>> e : channels.entrySet()) {
      if (e.getValue().stream().noneMatch(s -> high.containsKey(s.group()))) {
        continue;
      }
      List<Segment> cut = new ArrayList<>();
      for (Segment s : e.getValue()) {
        Integer h = high.get(s.group());
        if (h == null) {
          cut.add(s);
        } else {
          cut.add(new Segment(s.group(), s.offset(), s.block(), k));
          cut.add(new Segment(h, s.offset() + k, s.block(), s.size() - k));
        }
      }
      e.setValue(cut);
    }
  }

  private void concat(Node n) {
    long axis = n.intAttr("axis", 0);
    int rank = shape(n.output(0)).length;
    if (axis != 1 && axis != 1 - rank) {
      for (String in : n.inputs()) {
        pin(in, "concatenated along another axis by node " + n.label());
      }
      return;
    }
    List<Segment> out = new ArrayList<>();
    int offset = 0;
    boolean any = false;
    for (String in : n.inputs()) {
      int c = shape(in)[1];
      List<Segment> segs = channels.get(in);
      if (segs == null) {
        int fixed = newGroup(c, null);
        Node from = graph.producer(in);
        pinGroup(fixed, from != null && from.inputs().stream().anyMatch(channels::containsKey)
            ? "channels of '" + in + "', which node " + from.label() + " does not follow from the layers that make them"
            : "channels of '" + in + "', which no layer of the model makes");
        out.add(new Segment(fixed, offset, 1, c));
      } else {
        any = true;
        for (Segment s : segs) {
          if (offset % s.block() != 0) {
            pinGroup(s.group(), "concatenated by node " + n.label() + " at offset " + offset
                + ", which is not a whole number of its channels' blocks of " + s.block());
          }
          out.add(new Segment(s.group(), offset / s.block() + s.offset(), s.block(), s.size()));
        }
      }
      offset += c;
    }
    if (any) {
      carry(n.output(0), out);
    }
  }

  // ------------------------------------------------------------------ shared tensors

  /**
   * A tensor several nodes read (PyTorch's deduplicated initializers, directly or through
   * Identity) can be cut only if every reader cuts it the same way, for the same merged group;
   * otherwise the groups that would cut it are pinned, naming the tensor and two of its readers.
   */
  private void pinSharedDisagreements() {
    for (Map.Entry<String, Map<String, Set<Use>>> e : uses.entrySet()) {
      List<String> readers = shared.readers(e.getKey());
      if (readers.size() < 2) {
        continue;
      }
      Map<String, Set<Use>> byReader = new java.util.LinkedHashMap<>();
      for (String r : readers) {
        Set<Use> mine = new java.util.HashSet<>();
        for (Use u : e.getValue().getOrDefault(r, Set.of())) {
          mine.add(new Use(find(u.group()), u.axis(), u.offset(), u.block()));
        }
        byReader.put(r, mine);
      }
      String first = readers.get(0);
      String other = readers.stream().filter(r -> !byReader.get(r).equals(byReader.get(first))).findFirst().orElse(null);
      if (other == null) {
        continue; // one consistent cut serves every reader
      }
      String whole = byReader.get(first).isEmpty() ? first : byReader.get(other).isEmpty() ? other : null;
      String why = "weight '" + e.getKey() + "' is shared by " + label(first) + " and " + label(other)
          + (whole != null ? ", and " + label(whole) + " reads it whole"
              : groupsOf(byReader.get(first)).equals(groupsOf(byReader.get(other))) ? ", which slice it differently"
              : " in different groups");
      for (Set<Use> us : byReader.values()) {
        for (Use u : us) {
          pinGroup(u.group(), why);
        }
      }
    }
  }

  private static Set<Integer> groupsOf(Set<Use> us) {
    Set<Integer> g = new java.util.TreeSet<>();
    us.forEach(u -> g.add(u.group()));
    return g;
  }

  private static String label(String reader) {
    return reader.startsWith("the graph output") ? reader : "'" + reader + "'";
  }

  // ------------------------------------------------------------------ result

  private List<ChannelGroup> finish() {
    pinSharedDisagreements();
    Map<Integer, Builder> merged = new java.util.LinkedHashMap<>();
    for (int g = 0; g < builders.size(); g++) {
      int root = find(g);
      Builder b = builders.get(g);
      Builder m = merged.get(root);
      if (m == null) {
        merged.put(root, b);
        continue;
      }
      if (m.size != b.size) {
        m.pinned = m.pinned != null ? m.pinned : "merged groups differ in size";
        m.reasons.add("merged groups differ in size");
      }
      m.addRecords(b);
      m.values.addAll(b.values);
      m.slices.addAll(b.slices);
      if (m.headSize != 0 && b.headSize != 0 && m.headSize != b.headSize) {
        m.reasons.add("merged heads of " + m.headSize + " and of " + b.headSize);
        m.pinned = m.pinned != null ? m.pinned : "merged heads of " + m.headSize + " and of " + b.headSize;
      }
      m.headSize = Math.max(m.headSize, b.headSize);
      m.unit = lcm(m.unit, b.unit);
      if (m.pinned == null) {
        m.pinned = b.pinned;
      }
    }
    List<ChannelGroup> out = new ArrayList<>();
    for (Map.Entry<Integer, Builder> e : merged.entrySet()) {
      Builder b = e.getValue();
      if (b.producers.isEmpty()) {
        continue;
      }
      if (b.pinned == null && b.size % b.unit != 0) {
        b.pinned = "grouped convolutions on the way need whole blocks of " + b.unit + " of its " + b.size + " channels";
        b.reasons.add(b.pinned);
      }
      out.add(new ChannelGroup(out.size(), b.size, List.copyOf(b.producers), List.copyOf(b.consumers),
          List.copyOf(b.values), List.copyOf(b.slices), List.copyOf(b.reshapes), List.copyOf(b.depthwise),
          List.copyOf(b.gates), List.copyOf(b.rewrites), List.copyOf(b.shuffles), b.headSize, b.unit, b.pinned, List.copyOf(b.reasons)));
    }
    return out;
  }
}
