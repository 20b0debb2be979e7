package dev.condense.engine;

import dev.condense.CondenseException;
import dev.condense.data.Dataset;
import dev.condense.data.Preprocess;
import dev.condense.graph.DType;
import dev.condense.graph.Graph;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueInfo;
import java.util.Arrays;
import java.util.List;

/**
 * How a batch of a data set's samples feeds a model's single data input — float, or int64/int32
 * token ids — : the input's name, its type and the concrete shape of a batch of {@code n}. Token
 * ids come from a data set of integer arrays, values as stored ({@link Dataset#notTokenIds}; no
 * preprocessing applies to them). Symbolic sizes are taken from the samples; a model
 * that wants flat vectors ([batch, 784]) takes 1×28×28 images as they are, since only the
 * element count has to match.
 */
public record BatchInput(String name, DType dtype, int[] shape) {

  public BatchInput {
    shape = shape.clone();
  }

  @Override
  public int[] shape() {
    return shape.clone();
  }

  public static BatchInput of(Graph graph, Dataset data, int n) {
    List<ValueInfo> ins = graph.inputs();
    if (ins.size() != 1 || !List.of(DType.FLOAT, DType.INT64, DType.INT32).contains(ins.get(0).dtype())) {
      throw new CondenseException("the model must have exactly one float or integer (token id) input to run on a "
          + "data set, it has " + ins.size() + ": " + ins);
    }
    ValueInfo vi = ins.get(0);
    if (vi.dtype() != DType.FLOAT) {
      String why = data.notTokenIds();
      if (why != null) {
        throw new CondenseException("model input " + vi + " takes token ids, which data set '" + data.name()
            + "' cannot give: " + why);
      }
      if (!data.preprocess().equals(Preprocess.NONE)) {
        throw new CondenseException("model input " + vi + " takes token ids, to which the preprocessing '"
            + data.preprocess().text() + "' does not apply");
      }
    }
    int[] sample = data.sampleShape();
    int[] s = vi.shapeOr(-1);
    if (s == null || s.length < 2) {
      s = new int[sample.length + 1];
      Arrays.fill(s, -1);
    }
    s[0] = n;
    for (int i = 1; i < s.length; i++) {
      if (s[i] < 0) {
        if (s.length != sample.length + 1) {
          throw new CondenseException("model input " + vi + " has unknown sizes; cannot feed samples of "
              + Arrays.toString(sample));
        }
        s[i] = sample[i - 1];
      }
    }
    if (Tensor.numel(s) != (long) n * data.sampleSize()) {
      throw new CondenseException("data set '" + data.name() + "' has samples of shape " + Arrays.toString(sample)
          + ", which do not fit model input " + vi);
    }
    return new BatchInput(vi.name(), vi.dtype(), s);
  }
}
