package dev.condense.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The channel-pruning solvers against independent peers on the same problems (fixture and the
 * script that made it: src/test/resources/peer/solvers/): the LASSO against scikit-learn's
 * {@code Lasso}, least squares against {@code numpy.linalg.lstsq}, ThiNet's greedy search against
 * Algorithm 1 written in NumPy.
 */
class SolversPeerTest {
  static JsonNode fixture;

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in = SolversPeerTest.class.getResourceAsStream("/peer/solvers/solvers.json")) {
      fixture = new ObjectMapper().readTree(in);
    }
  }

  static double[] doubles(JsonNode a) {
    double[] out = new double[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).asDouble();
    }
    return out;
  }

  static int[] ints(JsonNode a) {
    int[] out = new int[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).asInt();
    }
    return out;
  }

  @Test
  void lassoMatchesScikitLearn() {
    JsonNode p = fixture.get("lasso");
    Lasso lasso = Lasso.fromRows(doubles(p.get("X")), doubles(p.get("y")), p.get("rows").asInt(), p.get("cols").asInt());
    for (JsonNode fit : p.get("fits")) {
      double[] expected = doubles(fit.get("coef"));
      Lasso.Result r = lasso.solve(fit.get("alpha").asDouble(), null, 1e-12, 100_000);
      for (int j = 0; j < expected.length; j++) {
        assertThat(r.beta()[j]).as("alpha %s coef %d", fit.get("alpha"), j).isCloseTo(expected[j], within(1e-7));
        assertThat(r.beta()[j] == 0).as("alpha %s coef %d is zero", fit.get("alpha"), j).isEqualTo(expected[j] == 0);
      }
    }
  }

  @Test
  void bisectionKeepsExactlyTheAskedNumberOfChannels() {
    JsonNode p = fixture.get("lasso");
    Lasso lasso = Lasso.fromRows(doubles(p.get("X")), doubles(p.get("y")), p.get("rows").asInt(), p.get("cols").asInt());
    for (int keep = 1; keep <= 12; keep++) {
      LassoChannelSelection.Result r = LassoChannelSelection.select(lasso, keep);
      assertThat(r.kept()).as("keep %d", keep).hasSize(keep);
    }
    // The five useless features (true coefficient 0) are the first to go.
    assertThat(LassoChannelSelection.select(lasso, 7).kept()).containsExactly(0, 1, 3, 6, 7, 9, 11);
  }

  @Test
  void leastSquaresMatchesNumpy() {
    JsonNode p = fixture.get("lstsq");
    int rows = p.get("rows").asInt();
    int cols = p.get("cols").asInt();
    int rhs = p.get("rhs").asInt();
    double[] b = doubles(p.get("B"));
    double[] x = LeastSquares.solve(doubles(p.get("A")), rows, cols, b, rhs);
    double[] expected = doubles(p.get("x"));
    for (int i = 0; i < expected.length; i++) {
      assertThat(x[i]).isCloseTo(expected[i], within(1e-10));
    }
    // Rank deficient (a zero column, two equal columns): the solution is not unique, the fit is.
    double[] ad = doubles(p.get("A_deficient"));
    double[] xd = LeastSquares.solve(ad, rows, cols, b, rhs);
    double[] fit = doubles(p.get("x_deficient_fit"));
    for (int r = 0; r < rows; r++) {
      for (int k = 0; k < rhs; k++) {
        double v = 0;
        for (int j = 0; j < cols; j++) {
          v += ad[r * cols + j] * xd[j * rhs + k];
        }
        assertThat(v).isCloseTo(fit[r * rhs + k], within(1e-9));
      }
    }
  }

  @Test
  void thinetGreedySearchAndScalesMatchAlgorithmOne() {
    JsonNode p = fixture.get("thinet");
    double[] xd = doubles(p.get("xhat"));
    float[] xhat = new float[xd.length];
    for (int i = 0; i < xd.length; i++) {
      xhat[i] = (float) xd[i];
    }
    int samples = p.get("samples").asInt();
    int channels = p.get("channels").asInt();
    int[] expectedRemoved = ints(p.get("removed"));
    int[] removed = ThiNetSelection.removed(xhat, samples, channels, expectedRemoved.length);
    assertThat(removed).containsExactly(expectedRemoved);
    int[] kept = ThiNetSelection.complement(channels, removed);
    assertThat(kept).containsExactly(ints(p.get("kept")));
    double[] scales = ThiNetSelection.scales(xhat, samples, channels, kept);
    double[] expected = doubles(p.get("scales"));
    for (int i = 0; i < expected.length; i++) {
      assertThat(scales[i]).isCloseTo(expected[i], within(1e-6));
    }
  }
}
