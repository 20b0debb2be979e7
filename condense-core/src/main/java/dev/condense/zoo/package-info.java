/**
 * Reference models built as graphs (LeNet-300-100, LeNet-5, VGG, ResNet for CIFAR, width-
 * scalable) with PyTorch's naming and initialisation, and {@link dev.condense.zoo.ModelSource},
 * which loads a zoo name or a model file.
 *
 * <p>May import: {@code dev.condense}, {@code graph}, {@code data}, {@code onnx},
 * {@code format}; not {@code engine.cpu}. Layers below it ({@code structure}) must not import it.
 */
package dev.condense.zoo;
