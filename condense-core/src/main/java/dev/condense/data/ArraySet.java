package dev.condense.data;

import dev.condense.CondenseException;
import java.util.Arrays;

/**
 * A labelled data set of arrays — audio features, embeddings, tabular rows, images already
 * preprocessed — read from NumPy files ({@link NpyReader}, {@link NpzFile}): sample {@code i} is
 * {@code x[i]}, of any shape (the array's shape without its first axis), and its class is
 * {@code y[i]}. uint8 and bool inputs are kept as bytes (a quarter of the memory); every other
 * dtype is held as float32, the type the engine computes in (float64 rounded to nearest, 64-bit
 * integers above 2^24 rounded too). Integer arrays of ids within ±2^24 also feed a model's int64 or
 * int32 input (token ids, {@link Dataset#notTokenIds}), exactly.
 *
 * <p>The preprocessing is values as stored ({@link Preprocess#NONE}) unless told otherwise; only
 * its normalisation applies — {@code x = (v/divisor − mean)/std}, with one mean and std for all
 * values, or one per channel where the channel is the sample's first axis (the array's axis 1,
 * NCHW's C) and the mean has as many values as that axis. A colour conversion, resize, crop or a
 * change to channels-last is refused: arrays are given to the model as they are stored.
 */
public final class ArraySet implements Dataset {
  private final String name;
  private final int[] sampleShape;
  private final int sampleSize;
  /** The stored values: bytes (uint8, bool) or floats, the other null. */
  private final byte[] bytes;
  private final float[] floats;
  private final int[] labels;
  private final int numClasses;
  private final Preprocess preprocess;
  /** Channels of the normalisation (1 when one mean serves all) and values per channel in a sample. */
  private final int channels;
  private final int plane;
  private final ChannelScaling scaling;
  /** Why the values cannot be token ids ({@link Dataset#notTokenIds}), or null where they can. */
  private final String notTokenIds;

  private ArraySet(String name, int[] sampleShape, byte[] bytes, float[] floats, int[] labels, int numClasses,
      Preprocess preprocess, String notTokenIds) {
    this.name = name;
    this.notTokenIds = notTokenIds;
    this.sampleShape = sampleShape;
    this.bytes = bytes;
    this.floats = floats;
    this.labels = labels;
    this.numClasses = numClasses;
    this.preprocess = preprocess;
    int s = 1;
    for (int d : sampleShape) {
      s *= d;
    }
    this.sampleSize = s;
    if (preprocess.changesGeometry() || preprocess.channelsLast()) {
      throw new CondenseException("data set '" + name + "': arrays are given to the model as stored, so the "
          + "preprocessing '" + preprocess.text() + "' cannot apply (colour conversion, resize, crop and nhwc are "
          + "for images); give only scale, mean and std");
    }
    int m = preprocess.normalization().mean().length;
    if (m != 1 && (sampleShape.length < 2 || sampleShape[0] != m)) {
      throw new CondenseException("the preprocessing's mean and std have " + m + " values, but data set '" + name
          + "' has samples of " + NpyHeader.shapeText(sampleShape) + ": per-channel statistics need as many values "
          + "as the sample's first axis (the channels), otherwise give one value");
    }
    this.channels = m;
    this.plane = s / m;
    this.scaling = new ChannelScaling(preprocess.normalization(), m);
  }

  /**
   * Inputs {@code x} ([samples, ...]) with labels {@code y} (integers, [samples] or [samples, 1]) in
   * {@code 0 .. numClasses−1}, values as stored; errors name the files.
   */
  public static ArraySet of(String name, NpyArray x, NpyArray y, int numClasses) {
    return of(name, x, labels(x, y), y.name(), numClasses);
  }

  /** {@code x} with labels already read by {@link #labels}; a label ≥ numClasses names {@code labelsName}. */
  static ArraySet of(String name, NpyArray x, int[] labels, String labelsName, int numClasses) {
    for (int k = 0; k < labels.length; k++) {
      if (labels[k] >= numClasses) {
        throw new CondenseException(labelsName + ": label " + labels[k] + " of sample " + k + " is outside 0.."
            + (numClasses - 1));
      }
    }
    int[] shape = x.shape();
    int[] sample = Arrays.copyOfRange(shape, 1, shape.length);
    boolean keepBytes = x.type() == NpyType.UINT8 || x.type() == NpyType.BOOL;
    return new ArraySet(name, sample, keepBytes ? x.bytes() : null, keepBytes ? null : x.toFloats(), labels,
        numClasses, Preprocess.NONE, x.type().integer() ? notTokenIds(x)
        : x.name() + ": its values are " + x.type().numpyName() + ", not integer ids");
  }

  /**
   * Why {@code x} cannot feed an integer input as it is held (float32, exact up to 2^24): a float
   * array, or an id beyond 2^24 (named with its sample); null where every value is such an id.
   */
  private static String notTokenIds(NpyArray x) {
    int perSample = x.count() / Math.max(1, x.shape()[0]);
    for (int i = 0; i < x.count(); i++) {
      long v = x.getLong(i);
      if (v < -TOKEN_LIMIT || v > TOKEN_LIMIT || (x.type() == NpyType.UINT64 && v < 0)) {
        return x.name() + ": id " + (x.type() == NpyType.UINT64 ? Long.toUnsignedString(v) : v) + " of sample "
            + i / perSample + " is beyond 2^24, more than the engine holds exactly";
      }
    }
    return null;
  }

  /** The largest id an integer input reads exactly from the engine's float32 buffers. */
  private static final long TOKEN_LIMIT = 1L << 24;

  /**
   * The labels {@code y} holds for inputs {@code x}: an integer array of one class per sample, each
   * from 0 to {@link Integer#MAX_VALUE}; anything else is an error naming the file (and the sample).
   */
  static int[] labels(NpyArray x, NpyArray y) {
    int[] xs = x.shape();
    int[] ys = y.shape();
    if (xs.length == 0) {
      throw new CondenseException(x.name() + ": a 0-d array (one value), not inputs of shape (samples, ...)");
    }
    if (!y.type().integer()) {
      throw new CondenseException(y.name() + ": labels must be integers (class indices), found " + y.type().numpyName());
    }
    if (ys.length == 0 || ys.length > 2 || (ys.length == 2 && ys[1] != 1)) {
      throw new CondenseException(y.name() + ": labels must be one class index per sample, shape (samples,) or "
          + "(samples, 1), found " + y.shapeText() + (ys.length == 2 ? " (one-hot? store the argmax)" : ""));
    }
    if (xs[0] != ys[0]) {
      throw new CondenseException(x.name() + " holds " + xs[0] + " samples but " + y.name() + " holds " + ys[0]
          + " labels");
    }
    int[] labels = new int[ys[0]];
    for (int k = 0; k < labels.length; k++) {
      long l = y.getLong(k);
      boolean unsignedHuge = y.type() == NpyType.UINT64 && l < 0;
      if (l < 0 || l > Integer.MAX_VALUE) {
        throw new CondenseException(y.name() + ": label " + (unsignedHuge ? Long.toUnsignedString(l) : l)
            + " of sample " + k + " is not a class index (0 or more)");
      }
      labels[k] = (int) l;
    }
    return labels;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int size() {
    return labels.length;
  }

  @Override
  public int[] sampleShape() {
    return sampleShape.clone();
  }

  @Override
  public int sampleSize() {
    return sampleSize;
  }

  @Override
  public int numClasses() {
    return numClasses;
  }

  @Override
  public Preprocess preprocess() {
    return preprocess;
  }

  /** The same arrays read with {@code p}'s normalisation; a geometry or layout change is an error. */
  @Override
  public ArraySet preprocessed(Preprocess p) {
    return new ArraySet(name, sampleShape, bytes, floats, labels, numClasses, p, notTokenIds);
  }

  @Override
  public String notTokenIds() {
    return notTokenIds;
  }

  @Override
  public int label(int i) {
    return labels[i];
  }

  @Override
  public void fill(int[] order, int from, int count, float[] x, int[] y) {
    for (int b = 0; b < count; b++) {
      int i = order == null ? from + b : order[from + b];
      int src = i * sampleSize;
      int dst = b * sampleSize;
      for (int c = 0; c < channels; c++) {
        if (bytes != null) {
          scaling.apply(c, bytes, src + c * plane, x, dst + c * plane, plane);
        } else {
          scaling.apply(c, floats, src + c * plane, x, dst + c * plane, plane);
        }
      }
      if (y != null) {
        y[b] = labels[i];
      }
    }
  }

  @Override
  public String toString() {
    return Dataset.describe(this);
  }
}
