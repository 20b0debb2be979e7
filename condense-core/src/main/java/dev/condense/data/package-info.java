/**
 * Data sets: the {@link dev.condense.data.Dataset} interface, IDX (MNIST, Fashion-MNIST) and
 * CIFAR-10 binary readers, image folders in torchvision's {@code ImageFolder} layout streamed from
 * disk ({@link dev.condense.data.FolderSet}), the input transform ({@link dev.condense.data.Preprocess})
 * and normalisation, train/test splits and seeded batch order.
 *
 * <p>May import: {@code dev.condense} and {@code dev.condense.data.image} only.
 */
package dev.condense.data;
