/**
 * Data sets: the {@link dev.condense.data.Dataset} interface, IDX (MNIST, Fashion-MNIST) and
 * CIFAR-10 binary readers, normalisation, train/test splits and seeded batch order.
 *
 * <p>May import: {@code dev.condense} only.
 */
package dev.condense.data;
