package dev.condense.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.condense.CondenseException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HuffmanAndRelativeIndexTest {
  @Test
  void huffmanRoundTripIsCloseToTheEntropy() {
    Random r = new Random(5);
    int n = 20_000;
    int[] s = new int[n];
    long[] freq = new long[32];
    for (int i = 0; i < n; i++) {
      s[i] = (int) Math.min(31, Math.abs(r.nextGaussian() * 4)); // a peaked distribution
      freq[s[i]]++;
    }
    HuffmanCode code = HuffmanCode.fromFrequencies(freq);
    BitWriter w = new BitWriter();
    code.writeTable(w);
    for (int v : s) {
      code.encode(w, v);
    }
    byte[] bytes = w.toByteArray();
    BitReader in = new BitReader(bytes, 0, bytes.length, "test");
    HuffmanCode back = HuffmanCode.readTable(in, 32);
    for (int v : s) {
      assertThat(back.decode(in)).isEqualTo(v);
    }
    double entropy = 0;
    for (long f : freq) {
      if (f > 0) {
        double p = (double) f / n;
        entropy -= p * Math.log(p) / Math.log(2);
      }
    }
    double bits = (w.bitLength() - code.tableBits()) / (double) n;
    assertThat(bits).isGreaterThanOrEqualTo(entropy).isLessThan(entropy + 1);
  }

  @Test
  void singleSymbolAndCorruptTables() {
    HuffmanCode one = HuffmanCode.fromFrequencies(new long[] {0, 9, 0});
    assertThat(one.length(1)).isEqualTo(1);
    assertThatThrownBy(() -> HuffmanCode.fromLengths(new int[] {1, 1, 1})).isInstanceOf(CondenseException.class);
    BitReader empty = new BitReader(new byte[0], 0, 0, "section 'x'");
    assertThatThrownBy(() -> one.decode(empty)).hasMessageContaining("section 'x'").hasMessageContaining("truncated");
  }

  @Test
  void deepCompressionFigure2() {
    // Fig. 2 of the paper, 3-bit gaps: a gap of 8 or more needs a filler zero.
    int[] sym = new int[20];
    sym[1] = 1;
    sym[4] = 2;
    sym[15] = 3; // 10 zeros after position 4: more than 7
    RelativeIndexEncoder.Entries e = RelativeIndexEncoder.encode(sym, 3);
    assertThat(e.gaps()).containsExactly(1, 2, 7, 2);
    assertThat(e.symbols()).containsExactly(1, 2, 0, 3);
    assertThat(e.fillers()).isEqualTo(1);
    assertThat(RelativeIndexEncoder.decode(e.gaps(), e.symbols(), e.count(), 20, 3, "t")).containsExactly(sym);
    assertThatThrownBy(() -> RelativeIndexEncoder.decode(e.gaps(), e.symbols(), e.count(), 10, 3, "t"))
        .hasMessageContaining("past the end");
  }
}
