/**
 * 8-bit images: decoding image files, colour conversion, resizing and cropping, computed exactly
 * as PIL and torchvision compute them, so that a model sees in Condense the pixels it saw in
 * training.
 *
 * <p>May import: {@code dev.condense} only.
 */
package dev.condense.data.image;
