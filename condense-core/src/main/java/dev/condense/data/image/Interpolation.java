package dev.condense.data.image;

/** How a resize computes new pixels: PIL's and torchvision's bilinear (the default) or nearest. */
public enum Interpolation {
  BILINEAR, NEAREST
}
