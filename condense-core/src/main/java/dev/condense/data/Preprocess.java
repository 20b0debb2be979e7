package dev.condense.data;

import dev.condense.CondenseException;
import dev.condense.data.image.ColorMode;
import dev.condense.data.image.Interpolation;
import dev.condense.data.image.Resize;
import dev.condense.data.image.Size;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How stored samples become the model's input: colour mode, resize, centre crop, scale, per-channel
 * mean and std, layout — torchvision's evaluation transform ({@code Resize}, {@code CenterCrop},
 * {@code ToTensor}, {@code Normalize}) as one value. It is part of the model: Condense writes the
 * spec it used into the model's metadata ({@link #METADATA_KEY}) and later commands read it back,
 * so a model is never evaluated on inputs it was not trained on.
 *
 * <p>Text form (the CLI's {@code --preprocess}, recipes, metadata): comma-separated items, starting
 * with an optional preset that later items override —
 * {@code imagenet,resize=64,crop=56} or {@code gray,scale=1/255,mean=0.5,std=0.5}:
 * <ul>
 *   <li>presets: {@code imagenet} (rgb, resize=256, crop=224, ImageNet mean and std),
 *       {@code unit} (x/255), {@code none} (values as stored), {@code mnist},
 *       {@code fashion-mnist}, {@code cifar10} (x/255 and the data set's mean and std);
 *   <li>{@code keep|gray|rgb|bgr}; {@code resize=S} (shorter side to S, as torchvision's
 *       {@code Resize(S)}) or {@code resize=HxW}, optionally {@code :nearest};
 *       {@code crop=S} or {@code crop=HxW} (centre crop);
 *   <li>{@code scale=1/255}, {@code scale=1} or {@code scale=1/D}; {@code mean=M[:M:M]},
 *       {@code std=S[:S:S]}; {@code nchw} (default) or {@code nhwc}.
 * </ul>
 *
 * @param color the colour conversion ({@link ColorMode#KEEP}: as stored)
 * @param resize the resize, or null
 * @param crop the centre crop, or null
 * @param normalization scale, mean and std
 * @param channelsLast whether the model reads NHWC
 */
public record Preprocess(ColorMode color, Resize resize, Size crop, Normalization normalization,
    boolean channelsLast) {

  /** The key of the spec in an ONNX model's {@code metadata_props}. */
  public static final String METADATA_KEY = "condense.preprocess";

  /** Values as stored: nothing changed. */
  public static final Preprocess NONE = of(Normalization.NONE);
  /** x/255 only. */
  public static final Preprocess UNIT = of(Normalization.UNIT);
  /** torchvision's ImageNet evaluation transform. */
  public static final Preprocess IMAGENET = new Preprocess(ColorMode.RGB,
      new Resize(256, 256, true, Interpolation.BILINEAR), new Size(224, 224), Normalization.IMAGENET, false);

  private static final Map<String, Preprocess> PRESETS = Map.of(
      "imagenet", IMAGENET, "unit", UNIT, "none", NONE, "mnist", of(Normalization.MNIST),
      "fashion-mnist", of(Normalization.FASHION_MNIST), "cifar10", of(Normalization.CIFAR10));

  private static final String SYNTAX = "a preset (imagenet, unit, none, mnist, fashion-mnist, cifar10) "
      + "then items keep|gray|rgb|bgr, resize=S|HxW[:nearest], crop=S|HxW, scale=1/255|1|1/D, "
      + "mean=M[:M:M], std=S[:S:S], nchw|nhwc";

  public Preprocess {
    if (color == null || normalization == null) {
      throw new IllegalArgumentException("colour mode and normalisation are required");
    }
  }

  /** Only {@code n}: no colour conversion or geometry, NCHW. */
  public static Preprocess of(Normalization n) {
    return new Preprocess(ColorMode.KEEP, null, null, n, false);
  }

  /** Whether the spec changes the images' channels, size or layout, not just their values. */
  public boolean changesGeometry() {
    return color != ColorMode.KEEP || resize != null || crop != null;
  }

  /**
   * The spec written as {@code text}; errors name {@code where} (the option, recipe field or
   * model file it came from).
   */
  public static Preprocess parse(String text, String where) {
    String[] items = text.strip().split(",", -1);
    if (text.isBlank()) {
      throw new CondenseException(where + ": empty preprocessing spec; use " + SYNTAX);
    }
    ColorMode color = ColorMode.KEEP;
    Resize resize = null;
    Size crop = null;
    Normalization n = Normalization.UNIT;
    boolean last = false;
    for (int k = 0; k < items.length; k++) {
      String item = items[k].strip();
      Preprocess preset = PRESETS.get(item);
      if (preset != null) {
        if (k > 0) {
          throw new CondenseException(where + ": preset '" + item + "' must come first in '" + text + "'");
        }
        color = preset.color;
        resize = preset.resize;
        crop = preset.crop;
        n = preset.normalization;
        last = preset.channelsLast;
        continue;
      }
      int eq = item.indexOf('=');
      String key = eq < 0 ? item : item.substring(0, eq);
      String value = eq < 0 ? null : item.substring(eq + 1).strip();
      try {
        switch (key) {
          case "keep", "gray", "grey", "rgb", "bgr" -> {
            noValue(value, item);
            color = key.equals("grey") ? ColorMode.GRAY : ColorMode.valueOf(key.toUpperCase(java.util.Locale.ROOT));
          }
          case "nchw", "nhwc" -> {
            noValue(value, item);
            last = key.equals("nhwc");
          }
          case "resize" -> resize = resize(value);
          case "crop" -> {
            int[] hw = size(value);
            crop = new Size(hw[0], hw[1]);
          }
          case "scale" -> n = n.withDivisor(divisor(value));
          case "mean" -> n = statistics(floats(value), n.std(), n.divisor());
          case "std" -> n = statistics(n.mean(), floats(value), n.divisor());
          default -> throw new IllegalArgumentException("unknown item");
        }
      } catch (IllegalArgumentException | CondenseException e) {
        String why = e.getMessage() == null || e instanceof NumberFormatException ? "bad value" : e.getMessage();
        throw new CondenseException(where + ": '" + item + "' in '" + text + "': " + why + "; use " + SYNTAX);
      }
    }
    return new Preprocess(color, resize, crop, n, last);
  }

  /** The spec stored in {@code metadata} (an ONNX model's), or null if there is none. */
  public static Preprocess fromMetadata(Map<String, String> metadata, String where) {
    String text = metadata.get(METADATA_KEY);
    return text == null ? null : parse(text, where + " (metadata " + METADATA_KEY + ")");
  }

  /** The canonical text form: {@code parse(text(), …)} gives this spec back. */
  public String text() {
    List<String> items = new ArrayList<>();
    if (color != ColorMode.KEEP) {
      items.add(color.name().toLowerCase(java.util.Locale.ROOT));
    }
    if (resize != null) {
      items.add("resize=" + (resize.shorterSide() ? String.valueOf(resize.height()) : resize.height() + "x" + resize.width())
          + (resize.interpolation() == Interpolation.NEAREST ? ":nearest" : ""));
    }
    if (crop != null) {
      items.add("crop=" + (crop.height() == crop.width() ? String.valueOf(crop.height()) : crop.height() + "x" + crop.width()));
    }
    float d = normalization.divisor();
    items.add("scale=" + (d == 1f ? "1" : "1/" + number(d)));
    items.add("mean=" + join(normalization.mean()));
    items.add("std=" + join(normalization.std()));
    if (channelsLast) {
      items.add("nhwc");
    }
    return String.join(",", items);
  }

  @Override
  public String toString() {
    return text();
  }

  private static void noValue(String value, String item) {
    if (value != null) {
      throw new CondenseException("takes no value");
    }
  }

  private static Resize resize(String value) {
    if (value == null) {
      throw new CondenseException("needs a size");
    }
    Interpolation interpolation = Interpolation.BILINEAR;
    int colon = value.indexOf(':');
    if (colon >= 0) {
      String mode = value.substring(colon + 1);
      interpolation = switch (mode) {
        case "bilinear" -> Interpolation.BILINEAR;
        case "nearest" -> Interpolation.NEAREST;
        default -> throw new CondenseException("interpolation '" + mode + "' is not bilinear or nearest");
      };
      value = value.substring(0, colon);
    }
    boolean shorter = !value.contains("x");
    int[] hw = size(value);
    return new Resize(hw[0], hw[1], shorter, interpolation);
  }

  /** "S" → {S, S}; "HxW" → {H, W}. */
  private static int[] size(String value) {
    if (value == null) {
      throw new CondenseException("needs a size");
    }
    String[] p = value.split("x", -1);
    if (p.length > 2) {
      throw new CondenseException("a size is S or HxW");
    }
    int h = Integer.parseInt(p[0].strip());
    int w = p.length == 2 ? Integer.parseInt(p[1].strip()) : h;
    return new int[] {h, w};
  }

  private static float divisor(String value) {
    if (value == null) {
      throw new CondenseException("needs a value");
    }
    float d;
    if (value.startsWith("1/")) {
      d = Float.parseFloat(value.substring(2));
    } else {
      float f = Float.parseFloat(value);
      if (!(f > 0)) {
        throw new CondenseException("the scale must be positive");
      }
      d = f == 1f ? 1f : 1f / f;
    }
    if (!(d > 0) || Float.isInfinite(d)) {
      throw new CondenseException("the scale must be positive and finite");
    }
    return d;
  }

  private static float[] floats(String value) {
    if (value == null || value.isEmpty()) {
      throw new CondenseException("needs values");
    }
    String[] p = value.split(":", -1);
    float[] f = new float[p.length];
    for (int i = 0; i < p.length; i++) {
      f[i] = Float.parseFloat(p[i].strip());
      if (!Float.isFinite(f[i])) {
        throw new CondenseException("values must be finite");
      }
    }
    return f;
  }

  /** A normalisation of {@code mean} and {@code std}, a one-value side repeated to match the other. */
  private static Normalization statistics(float[] mean, float[] std, float divisor) {
    int c = Math.max(mean.length, std.length);
    return new Normalization(repeated(mean, c), repeated(std, c), divisor);
  }

  private static float[] repeated(float[] v, int channels) {
    if (v.length == channels) {
      return v;
    }
    if (v.length != 1) {
      throw new CondenseException("mean and std have " + v.length + " and " + channels + " values");
    }
    float[] f = new float[channels];
    java.util.Arrays.fill(f, v[0]);
    return f;
  }

  private static String join(float[] v) {
    StringBuilder b = new StringBuilder();
    for (float f : v) {
      b.append(b.length() == 0 ? "" : ":").append(number(f));
    }
    return b.toString();
  }

  /** Shortest text that reads back as exactly {@code f}. */
  private static String number(float f) {
    String s = Float.toString(f);
    return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
  }
}
