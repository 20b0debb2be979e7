/**
 * The in-memory model, following ONNX node for node: {@link dev.condense.graph.Model},
 * {@link dev.condense.graph.Graph}, nodes, tensors, types, shape inference, constant folding and
 * graph facts every layer above needs (which initializers are prunable layer weights, seeded
 * initialisation of new layers).
 *
 * <p>May import: {@code dev.condense} and the op table; never a layer above it (onnx, engine,
 * methods, formats), and never {@code engine.cpu} (enforced by {@code LayeringTest}).
 */
package dev.condense.graph;
