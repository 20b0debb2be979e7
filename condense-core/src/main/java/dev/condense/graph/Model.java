package dev.condense.graph;

import dev.condense.Version;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model: its graph plus the ONNX envelope (IR version, operator-set versions, producer,
 * metadata), and the compression state of its weights ({@link Annotations}: masks, codebooks),
 * which every annotation must describe (checked here). Condense implements the default ONNX
 * domain at opset 13 or later (older models are normalised to it at load: {@code ops.OpsetNormalizer}).
 */
public record Model(Graph graph, long irVersion, Map<String, Long> opsetImports,
    String producerName, String producerVersion, String docString, Map<String, String> metadata,
    Annotations annotations) {

  /** The IR version Condense writes for models it creates (ONNX 1.12: IR 8). */
  public static final long IR_VERSION = 8;
  /** The opset Condense writes for models it creates. */
  public static final long OPSET = 13;
  /** The producer name written into files. */
  public static final String PRODUCER = "condense";

  public Model {
    opsetImports = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(opsetImports));
    metadata = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    producerName = producerName == null ? "" : producerName;
    producerVersion = producerVersion == null ? "" : producerVersion;
    docString = docString == null ? "" : docString;
    annotations = annotations == null ? Annotations.NONE : annotations;
    annotations.check(graph);
  }

  /** A model without annotations (as read from ONNX). */
  public Model(Graph graph, long irVersion, Map<String, Long> opsetImports,
      String producerName, String producerVersion, String docString, Map<String, String> metadata) {
    this(graph, irVersion, opsetImports, producerName, producerVersion, docString, metadata, Annotations.NONE);
  }

  /** A new model made by Condense around {@code graph}. */
  public static Model of(Graph graph) {
    return new Model(graph, IR_VERSION, Map.of("", OPSET), PRODUCER, Version.VERSION, "", Map.of());
  }

  /** The version of the default ONNX domain ("" or "ai.onnx"), or -1 if not imported. */
  public long opset() {
    Long v = opsetImports.get("");
    if (v == null) {
      v = opsetImports.get("ai.onnx");
    }
    return v == null ? -1 : v;
  }

  /**
   * A copy around {@code g}, keeping the annotations that still describe their tensors there and
   * dropping the others (see {@link Annotations}).
   */
  public Model withGraph(Graph g) {
    return new Model(g, irVersion, opsetImports, producerName, producerVersion, docString, metadata,
        annotations.thatHold(g));
  }

  /** A copy with {@code a} set over the current annotations; an error if one does not describe its tensor. */
  public Model withAnnotations(Annotations a) {
    return new Model(graph, irVersion, opsetImports, producerName, producerVersion, docString, metadata,
        annotations.with(a));
  }

  /** A copy with one annotation set; an error if it does not describe the weight's tensor. */
  public Model withAnnotation(String weight, WeightAnnotation a) {
    return new Model(graph, irVersion, opsetImports, producerName, producerVersion, docString, metadata,
        annotations.with(weight, a));
  }

  /** A copy without any annotation (what an ONNX file keeps). */
  public Model withoutAnnotations() {
    return new Model(graph, irVersion, opsetImports, producerName, producerVersion, docString, metadata);
  }

  /** A copy with one metadata entry set (e.g. the compression steps applied). */
  public Model withMetadata(String key, String value) {
    Map<String, String> m = new LinkedHashMap<>(metadata);
    m.put(key, value);
    return new Model(graph, irVersion, opsetImports, producerName, producerVersion, docString, m, annotations);
  }
}
