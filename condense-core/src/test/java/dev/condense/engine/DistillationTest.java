package dev.condense.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.condense.CondenseException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The distillation gradient against central differences of the loss it claims to differentiate. */
class DistillationTest {
  static final int K = 5;

  /** Mean over the batch of (1 − α)·CE + α·T²·KL(softmax(t/T) ‖ softmax(z/T)), written out directly. */
  static double loss(double[] z, float[] teacher, int[] sample, int[] labels, double t, double alpha) {
    int n = labels.length;
    double total = 0;
    for (int b = 0; b < n; b++) {
      double[] zs = new double[K];
      double[] ts = new double[K];
      for (int j = 0; j < K; j++) {
        zs[j] = z[b * K + j];
        ts[j] = teacher[sample[b] * K + j];
      }
      double[] logP = logSoftmax(zs, 1);
      double[] logQ = logSoftmax(zs, t);
      double[] logPt = logSoftmax(ts, t);
      double kl = 0;
      for (int j = 0; j < K; j++) {
        kl += Math.exp(logPt[j]) * (logPt[j] - logQ[j]);
      }
      total += (1 - alpha) * -logP[labels[b]] + alpha * t * t * kl;
    }
    return total / n;
  }

  static double[] logSoftmax(double[] v, double t) {
    double max = Double.NEGATIVE_INFINITY;
    for (double x : v) {
      max = Math.max(max, x / t);
    }
    double sum = 0;
    for (double x : v) {
      sum += Math.exp(x / t - max);
    }
    double[] out = new double[v.length];
    for (int j = 0; j < v.length; j++) {
      out[j] = v[j] / t - max - Math.log(sum);
    }
    return out;
  }

  @Test
  void gradientMatchesCentralDifferences() {
    SplittableRandom r = new SplittableRandom(3);
    int samples = 7;
    int n = 3;
    float[] teacher = new float[samples * K];
    for (int i = 0; i < teacher.length; i++) {
      teacher[i] = (float) r.nextDouble(-4, 4);
    }
    int[] order = {6, 2, 0, 5, 1, 3, 4};
    int from = 2;
    int[] sample = {order[2], order[3], order[4]};
    int[] labels = {1, 4, 0};
    float[] z = new float[n * K];
    for (int i = 0; i < z.length; i++) {
      z[i] = (float) r.nextDouble(-3, 3);
    }
    for (double[] ta : new double[][] {{1, 0.5}, {4, 0.9}, {2.5, 1}, {3, 0}}) {
      Distillation kd = new Distillation(teacher, K, ta[0], ta[1]);
      float[] grad = new float[z.length];
      SoftmaxCrossEntropy.apply(z, n, K, labels, null, 0, grad);
      kd.blend(z, n, order, from, grad);
      double[] zd = new double[z.length];
      for (int i = 0; i < z.length; i++) {
        zd[i] = z[i];
      }
      for (int i = 0; i < z.length; i++) {
        double h = 1e-5;
        double keep = zd[i];
        zd[i] = keep + h;
        double up = loss(zd, teacher, sample, labels, ta[0], ta[1]);
        zd[i] = keep - h;
        double down = loss(zd, teacher, sample, labels, ta[0], ta[1]);
        zd[i] = keep;
        assertThat((double) grad[i]).as("T %s alpha %s, logit %d", ta[0], ta[1], i).isCloseTo((up - down) / (2 * h), within(1e-5));
      }
    }
  }

  @Test
  void aStudentThatMatchesItsTeacherAtAlphaOneHasNoGradient() {
    float[] teacher = {1f, -2f, 0.5f, 3f, 0f, 2f, 2f, -1f, 0f, 0f};
    float[] z = teacher.clone();
    float[] grad = new float[z.length];
    SoftmaxCrossEntropy.apply(z, 2, K, new int[] {0, 3}, null, 0, grad);
    new Distillation(teacher, K, 3, 1).blend(z, 2, null, 0, grad);
    for (float g : grad) {
      assertThat((double) g).isCloseTo(0, within(1e-7));
    }
  }

  @Test
  void nonsenseSettingsAreRefused() {
    float[] t = new float[10];
    assertThatThrownBy(() -> new Distillation(t, 3, 2, 0.5)).isInstanceOf(CondenseException.class).hasMessageContaining("3-class");
    assertThatThrownBy(() -> new Distillation(t, K, 0, 0.5)).isInstanceOf(CondenseException.class).hasMessageContaining("temperature");
    assertThatThrownBy(() -> new Distillation(t, K, 2, 1.5)).isInstanceOf(CondenseException.class).hasMessageContaining("alpha");
    assertThatThrownBy(() -> new Distillation(t, K, 2, Double.NaN)).isInstanceOf(CondenseException.class).hasMessageContaining("alpha");
  }
}
