package dev.condense.api;

import dev.condense.MemoryLimit;
import dev.condense.data.DataSources;
import dev.condense.data.DataSplit;
import dev.condense.data.Preprocess;
import dev.condense.graph.Model;
import dev.condense.zoo.ModelSource;
import dev.condense.zoo.Zoo;

/**
 * A model and the data it is trained and evaluated on, read with the preprocessing the model
 * expects: the one given, else the one stored in the model ({@link Preprocess#METADATA_KEY}),
 * else the data set's default — which for a model file is a guess, so {@link #warning()} says so.
 * The model comes back with its preprocessing in its metadata, so every file written from it
 * carries the spec and later commands use it.
 *
 * @param name what the user called the model (its file or zoo name)
 * @param model the model, its metadata holding {@link #preprocess()}
 * @param data the training and test sets, read with {@link #preprocess()}
 * @param preprocess the preprocessing in use
 * @param origin where it came from
 */
public record Inputs(String name, Model model, DataSplit data, Preprocess preprocess, Origin origin) {

  /** Where the preprocessing in use came from. */
  public enum Origin {
    /** Given by the caller (the CLI's {@code --preprocess}). */
    GIVEN,
    /** Stored in the model file. */
    MODEL,
    /** The data set's default, for a zoo model built for that data set: no guess. */
    ZOO,
    /** The data set's default for a model file that stores none: a guess the user is warned of. */
    DATA_DEFAULT
  }

  /**
   * The model {@code modelSpec} (a zoo name, an ONNX or a {@code .cdz} file) and the data
   * {@code dataSpec} (see {@link DataSources#resolve(String)}; its first {@code limit} samples of
   * each split unless null), read with {@code given} (null: the model's own, else the data's).
   */
  public static Inputs load(String modelSpec, long seed, String dataSpec, Integer limit, Preprocess given) {
    return load(modelSpec, seed, dataSpec, limit, given, MemoryLimit.forThisHeap());
  }

  /** As {@link #load(String, long, String, Integer, Preprocess)}, a {@code .cdz} model decoded within {@code memory}. */
  public static Inputs load(String modelSpec, long seed, String dataSpec, Integer limit, Preprocess given,
      MemoryLimit memory) {
    if (Zoo.has(modelSpec)) {
      DataSplit data = read(dataSpec, limit, given);
      Model m = ModelSource.load(modelSpec, seed, data.train());
      return of(modelSpec, m, data, given == null ? Origin.ZOO : Origin.GIVEN);
    }
    Model m = ModelSource.load(modelSpec, seed, memory);
    Preprocess stored = Preprocess.fromMetadata(m.metadata(), modelSpec);
    Preprocess p = given != null ? given : stored;
    DataSplit data = read(dataSpec, limit, p);
    return of(modelSpec, m, data, given != null ? Origin.GIVEN : stored != null ? Origin.MODEL : Origin.DATA_DEFAULT);
  }

  private static DataSplit read(String dataSpec, Integer limit, Preprocess p) {
    DataSplit d = limit == null ? DataSources.resolve(dataSpec) : DataSources.resolve(dataSpec, limit);
    return p == null ? d : d.preprocessed(p);
  }

  private static Inputs of(String name, Model m, DataSplit data, Origin origin) {
    Preprocess p = data.train().preprocess();
    return new Inputs(name, m.withMetadata(Preprocess.METADATA_KEY, p.text()), data, p, origin);
  }

  /** The data set's name without its split ("fashion-mnist", not "fashion-mnist/train"). */
  private String dataName() {
    String n = data.train().name();
    int slash = n.lastIndexOf('/');
    return slash > 0 ? n.substring(0, slash) : n;
  }

  /**
   * For a model that stores no preprocessing and was given none: one line saying which default
   * was used; else null.
   */
  public String warning() {
    if (origin != Origin.DATA_DEFAULT) {
      return null;
    }
    return name + " stores no preprocessing and none was given (--preprocess); "
        + dataName() + " is read with its default, " + preprocess.text()
        + " — if the model was trained on other inputs, its accuracy here is wrong";
  }
}
