package dev.condense.engine.cpu;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A tiny shifted-window transformer made of torchvision 0.14's own {@code SwinTransformerBlock}s,
 * exported by PyTorch 1.13 (committed with its script, {@code exports/swin/export.py}) at opsets 11,
 * 13 and 17 with a dynamic batch: window partition, the cyclic shift (Slice + Concat), the
 * attention mask PyTorch builds by slice assignment (ConstantOfShape + ScatterND) and the padding
 * arithmetic (Mod), as in swin_t. The engine's logits match ONNX Runtime's at batch 1 and 3, and one
 * training step gives PyTorch's loss and gradients.
 */
class SwinExportsTest {
  static Path dir() throws Exception {
    return Path.of(SwinExportsTest.class.getResource("/exports/swin/export.py").toURI()).getParent();
  }

  @ParameterizedTest
  @ValueSource(strings = {"swin-opset11", "swin-opset13", "swin-opset17"})
  void logitsMatchOnnxRuntimeAtBatchOneAndThree(String name) throws Exception {
    AttentionExportsTest.logitsMatchOnnxRuntime(dir(), name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"swin-opset11", "swin-opset13", "swin-opset17"})
  void oneTrainingStepMatchesPyTorch(String file) throws Exception {
    AttentionExportsTest.trainingStepMatchesPyTorch(dir(), "swin", file + ".onnx");
  }
}
