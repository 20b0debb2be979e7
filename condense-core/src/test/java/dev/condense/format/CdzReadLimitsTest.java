package dev.condense.format;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.condense.CondenseException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/**
 * What a .cdz reader refuses beyond damage (issue 17 §2–3): a tensor declared far larger than the
 * file may decode to, a tensor no node uses, a section name with control characters. Each test
 * takes the sections of a real file and rebuilds it with one section changed, checksums right.
 */
class CdzReadLimitsTest {
  private record Section(int kind, String name, byte[] payload) {}

  private static List<Section> sections(byte[] file) {
    ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).position(6);
    int count = b.getInt();
    List<Section> r = new ArrayList<>();
    for (int s = 0; s < count; s++) {
      int kind = b.get() & 0xff;
      byte[] name = new byte[b.getShort() & 0xffff];
      b.get(name);
      byte[] payload = new byte[b.getInt()];
      b.get(payload);
      b.getInt();
      r.add(new Section(kind, new String(name, StandardCharsets.UTF_8), payload));
    }
    return r;
  }

  private static byte[] file(List<Section> sections) {
    ByteBuffer b = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
    b.put(CdzFile.MAGIC).putShort((short) CdzFile.VERSION).putInt(sections.size());
    for (Section s : sections) {
      int start = b.position();
      byte[] name = s.name().getBytes(StandardCharsets.UTF_8);
      b.put((byte) s.kind()).putShort((short) name.length).put(name).putInt(s.payload().length).put(s.payload());
      CRC32C crc = new CRC32C();
      crc.update(b.array(), start, b.position() - start);
      b.putInt((int) crc.getValue());
    }
    return java.util.Arrays.copyOf(b.array(), b.position());
  }

  private static List<Section> seed() {
    return new ArrayList<>(sections(CdzFile.toBytes(CdzFuzzTest.seedModel(), CdzFile.Options.defaults()).bytes()));
  }

  private static int tensor(List<Section> s, String name) {
    for (int i = 0; i < s.size(); i++) {
      if (s.get(i).name().equals(name)) {
        return i;
      }
    }
    throw new AssertionError(name);
  }

  @Test
  void theRebuiltSeedReadsBack() {
    CdzFile.read(file(seed()), "m.cdz");
  }

  @Test
  void aTensorDeclaredAtGigabytesInATinyFileIsRefusedBeforeAllocating() {
    List<Section> s = seed();
    int i = tensor(s, "fc.weight");
    byte[] huge = ByteBuffer.allocate(7).order(ByteOrder.LITTLE_ENDIAN).put((byte) 0).put((byte) 1).put((byte) 1)
        .putInt(1 << 28).array();
    s.set(i, new Section(CdzFile.TENSOR, "fc.weight", huge));
    assertThatThrownBy(() -> CdzFile.read(file(s), "m.cdz")).isInstanceOf(CondenseException.class)
        .hasMessageStartingWith("m.cdz: section " + (i + 1) + " (tensor 'fc.weight'): a tensor of 268435456 elements"
            + " (1073741824 bytes) is more than the");
  }

  @Test
  void aTensorNoNodeUsesIsRefused() {
    List<Section> s = seed();
    Section w = s.get(tensor(s, "fc.weight"));
    s.add(new Section(CdzFile.TENSOR, "spare", w.payload()));
    assertThatThrownBy(() -> CdzFile.read(file(s), "m.cdz"))
        .hasMessage("m.cdz: tensor 'spare' is used by no node of the graph");
  }

  @Test
  void aSectionNameWithControlCharactersIsRefused() {
    List<Section> s = seed();
    int i = tensor(s, "fc.weight");
    s.set(i, new Section(CdzFile.TENSOR, "fc.weight\u001b[2J", s.get(i).payload()));
    assertThatThrownBy(() -> CdzFile.read(file(s), "m.cdz"))
        .hasMessage("m.cdz: section " + (i + 1) + " (tensor '?'): a section name with control characters");
    s.set(i, new Section(CdzFile.TENSOR, "fc.weight\u202e", s.get(i).payload()));
    assertThatThrownBy(() -> CdzFile.read(file(s), "m.cdz")).hasMessageContaining("control characters");
  }
}
