package dev.condense.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.condense.CondenseException;
import dev.condense.prune.PruningCriterion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RecipeReaderTest {
  @Test
  void aFullRecipe() {
    Recipe r = RecipeReader.parse("""
        name: han
        description: iterative pruning
        steps:
          - train: {epochs: 30, lr: 0.05, batch: 64, schedule: cosine}
          - prune: {quality: {ip1: 1.5, default: 1.0}}
          - iterative-prune:
              rounds: 3
              sparsity: {ip1: 0.92, ip2: 0.91, ip3: 0.74}
              retrain: {epochs: 10, schedule: "step:5:0.1", freeze: conv}
          - gradual-prune: {sparsity: 0.9, epochs: 4, lr: 0.01, distill: {temperature: 2, alpha: 0.5}}
          - remove-dead-neurons:
        """, "r.yaml");
    assertThat(r.name()).isEqualTo("han");
    assertThat(r.steps()).hasSize(5);
    Step.Train t = (Step.Train) r.steps().get(0);
    assertThat(t.settings().epochs()).isEqualTo(30);
    assertThat(t.settings().lr()).isEqualTo(0.05);
    PruningCriterion.Quality q = (PruningCriterion.Quality) ((Step.Prune) r.steps().get(1)).criterion();
    assertThat(q.quality().byLayer()).containsEntry("ip1", 1.5);
    assertThat(q.quality().dflt()).isEqualTo(1.0);
    Step.IterativePrune ip = (Step.IterativePrune) r.steps().get(2);
    assertThat(ip.rounds()).isEqualTo(3);
    assertThat(ip.retrain().lr()).isNull();
    assertThat(ip.retrain().freeze()).isEqualTo(TrainSettings.Freeze.CONV);
    assertThat(ip.sparsity().byLayer()).containsEntry("ip3", 0.74);
    assertThat(ip.sparsity().hasDefault()).as("only the listed layers").isFalse();
    assertThat(r.steps().get(4)).isInstanceOf(Step.RemoveDeadNeurons.class);
    assertThat(t.settings().distill()).as("no distillation unless asked").isNull();
    assertThat(((Step.GradualPrune) r.steps().get(3)).train().distill()).isEqualTo(new TrainSettings.Distill(2, 0.5));
    assertThat(((Step.Train) RecipeReader.parse("steps:\n  - train: {distill: {}}\n", "d.yaml").steps().get(0))
        .settings().distill()).as("defaults").isEqualTo(new TrainSettings.Distill(4, 0.9));
  }

  @Test
  void channelPruning() {
    Recipe r = RecipeReader.parse("""
        steps:
          - channel-prune: {method: thinet, speedup: 2, images: 300, layer-epochs: 1, layer-images: 2000, align: 8, retrain: {epochs: 1, lr: 0.001}}
          - channel-prune: {method: he, keep: {conv1: 0.5, default: 0.75}, retrain: {epochs: 0}}
          - gap-head: {retrain: {epochs: 2, lr: 0.001}}
        """, "c.yaml");
    Step.ChannelPrune a = (Step.ChannelPrune) r.steps().get(0);
    assertThat(a.method()).isEqualTo(ChannelPruning.Method.THINET);
    assertThat(a.speedup()).isEqualTo(2);
    assertThat(a.sampling()).isEqualTo(new ChannelPruning.Sampling(300, 10));
    assertThat(a.layerEpochs()).isEqualTo(1);
    assertThat(a.layerImages()).isEqualTo(2000);
    assertThat(a.align()).isEqualTo(8);
    Step.ChannelPrune b = (Step.ChannelPrune) r.steps().get(1);
    assertThat(b.keep().byLayer()).containsEntry("conv1", 0.5);
    assertThat(b.keep().dflt()).isEqualTo(0.75);
    assertThat(b.speedup()).isZero();
    assertThat(b.layerEpochs()).isZero();
    assertThat(b.layerImages()).isZero();
    assertThat(b.align()).isEqualTo(1);
    assertThat(r.steps().get(2)).isInstanceOf(Step.GapHead.class);
    assertThat(((Step.GapHead) r.steps().get(2)).retrain().epochs()).isEqualTo(2);
  }

  static Stream<Arguments> badRecipes() {
    return Stream.of(
        Arguments.of("steps:\n  - prun: {sparsity: 0.5}\n", "step 1: unknown step 'prun'"),
        Arguments.of("steps:\n  - train: {epoch: 3}\n", "step 1 (train): unknown field 'epoch'"),
        Arguments.of("steps:\n  - train: {epochs: ten}\n", "step 1 (train): field 'epochs' must be a whole number"),
        Arguments.of("steps:\n  - train: {}\n  - iterative-prune: {rounds: 2, sparsity: 0.5}\n",
            "step 2 (iterative-prune): missing field 'retrain'"),
        Arguments.of("steps:\n  - prune: {sparsity: 1.5}\n", "step 1 (prune): field 'sparsity' must be a number in [0.0, 1.0]"),
        Arguments.of("steps:\n  - prune: {sparsity: {ip1: high}}\n", "field 'sparsity.ip1' must be a number"),
        Arguments.of("steps:\n  - train: {schedule: sometimes}\n", "field 'schedule' must be constant, cosine"),
        Arguments.of("steps:\n  - prune: {quality: 1, sparsity: 0.5}\n", "exactly one of"),
        Arguments.of("steps: []\n", "'steps' must be a non-empty list"),
        Arguments.of("name: x\nstep:\n  - train: {}\n", "unknown field 'step'"),
        Arguments.of("steps:\n  - train: {epochs: 3\n", "not valid YAML"),
        Arguments.of("steps:\n  - channel-prune: {method: lasso, keep: 0.5, retrain: {}}\n",
            "step 1 (channel-prune): field 'method' must be he, thinet, l1 or random"),
        Arguments.of("steps:\n  - channel-prune: {method: he, keep: 0.5, speedup: 2, retrain: {}}\n",
            "give exactly one of 'keep'"),
        Arguments.of("steps:\n  - train: {distill: {alpha: 2}}\n", "step 1 (train): distill: field 'alpha' must be a number in [0.0, 1.0]"),
        Arguments.of("steps:\n  - train: {distill: {temp: 2}}\n", "step 1 (train): distill: unknown field 'temp'"),
        Arguments.of("steps:\n  - train: {distill: yes}\n", "field 'distill' must be a mapping"),
        // every number a recipe gives has an upper bound, the command line's (issue 17 §2)
        Arguments.of("steps:\n  - train: {epochs: 1000000}\n", "step 1 (train): field 'epochs' must be a whole number in [0, 10,000], got '1000000'"),
        Arguments.of("steps:\n  - train: {lr: 50}\n", "step 1 (train): field 'lr' must be a number in [1.0E-12, 10.0]"),
        Arguments.of("steps:\n  - train: {batch: 100000000}\n", "field 'batch' must be a whole number in [1, 1,048,576]"),
        Arguments.of("steps:\n  - iterative-prune: {rounds: 5000, sparsity: 0.5, retrain: {}}\n",
            "step 1 (iterative-prune): field 'rounds' must be a whole number in [1, 1,000]"),
        Arguments.of("steps:\n  - channel-prune: {method: he, speedup: 2, images: 20000000, retrain: {}}\n",
            "field 'images' must be a whole number in [1, 10,000,000]"));
  }

  @ParameterizedTest
  @MethodSource("badRecipes")
  void mistakesAreOneLineNamingStepAndField(String yaml, String message) {
    assertThatThrownBy(() -> RecipeReader.parse(yaml, "r.yaml"))
        .isInstanceOf(CondenseException.class)
        .hasMessageStartingWith("recipe r.yaml: ")
        .hasMessageContaining(message)
        .matches(e -> !e.getMessage().contains("\n"), "one line");
  }

  @Test
  void duplicateKeysAreErrorsNamingTheKey() {
    assertThatThrownBy(() -> RecipeReader.parse("steps:\n  - train: {epochs: 1, epochs: 50}\n", "r.yaml"))
        .hasMessageStartingWith("recipe r.yaml: ").hasMessageContaining("'epochs'");
    assertThatThrownBy(() -> RecipeReader.parse("steps:\n  - train: {}\nsteps:\n  - prune: {sparsity: 0.5}\n",
        "r.yaml")).hasMessageContaining("'steps'");
  }

  @Test
  void aListOrMappingWhereTextBelongsIsAnErrorNamingTheField() {
    // nine levels of nine YAML aliases (the "billion laughs") as a description: refused, never expanded
    StringBuilder laughs = new StringBuilder("[&a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]");
    for (int i = 1; i <= 9; i++) {
      laughs.append(", &a").append(i).append(" [").append(String.join(", ", java.util.Collections.nCopies(9, "*a" + (i - 1))))
          .append("]");
    }
    String yaml = "name: laughs\ndescription: " + laughs + "]\nsteps:\n  - train: {epochs: 1}\n";
    assertThatThrownBy(() -> RecipeReader.parse(yaml, "r.yaml")).isInstanceOf(CondenseException.class)
        .hasMessage("recipe r.yaml: 'description' must be text, got a list");
    assertThatThrownBy(() -> RecipeReader.parse("name: {a: 1}\nsteps:\n  - train: {epochs: 1}\n", "r.yaml"))
        .hasMessage("recipe r.yaml: 'name' must be text, got a mapping");
  }

  @Test
  void aFileThatIsNoRecipeIsRefusedWithoutEchoingIt() {
    assertThatThrownBy(() -> RecipeReader.parse("secret-user: hunter2\nother: x\n", "r.yaml"))
        .hasMessageContaining("'steps' must be a non-empty list").hasMessageNotContaining("secret-user")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void nonRegularAndOversizedFilesAreRefusedBeforeReading(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    assertThatThrownBy(() -> RecipeReader.read(Path.of("/dev/zero"))).hasMessage("recipe /dev/zero: not a regular file");
    assertThatThrownBy(() -> RecipeReader.read(dir)).hasMessageContaining("not a regular file");
    Path big = dir.resolve("big.yaml");
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(RecipeReader.MAX_BYTES + 1); // sparse: nothing is really written
    }
    assertThatThrownBy(() -> RecipeReader.read(big)).hasMessageContaining("more than a recipe can be");
    Path utf16 = dir.resolve("utf16.yaml");
    Files.write(utf16, "steps:\n  - train: {}\n".getBytes(java.nio.charset.StandardCharsets.UTF_16));
    assertThatThrownBy(() -> RecipeReader.read(utf16)).hasMessageContaining("not UTF-8 text");
  }

  @Test
  void missingFileAndShippedRecipes() throws Exception {
    assertThatThrownBy(() -> RecipeReader.read(Path.of("no-such-recipe.yaml"))).hasMessageContaining("no such file");
    try (Stream<Path> recipes = Files.list(Path.of("../recipes"))) {
      for (Path p : recipes.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        assertThat(RecipeReader.read(p).steps()).as(p.toString()).isNotEmpty();
      }
    }
  }

  @Test
  void absentFieldsTakeTheStepDefaultsTheCommandLineUses() {
    Recipe r = RecipeReader.parse("""
        steps:
          - iterative-prune: {sparsity: 0.5, retrain: {}}
          - trim: {retrain: {}}
          - prune-filters: {ratio: 0.3, retrain: {}}
          - quantize: {}
        """, "d.yaml");
    Step.IterativePrune ip = (Step.IterativePrune) r.steps().get(0);
    assertThat(ip.rounds()).isEqualTo(Step.IterativePrune.ROUNDS);
    assertThat(ip.retrain().epochs()).isEqualTo(Step.IterativePrune.RETRAIN_EPOCHS);
    assertThat(ip.retrain().lr()).as("a tenth of the last training rate").isNull();
    assertThat(ip.retrain().base()).isEqualTo(dev.condense.engine.TrainConfig.defaults()
        .withEpochs(Step.IterativePrune.RETRAIN_EPOCHS));
    Step.Trim t = (Step.Trim) r.steps().get(1);
    assertThat(List.of(t.iterations(), t.layersPerIteration(), t.stds(), t.samples(), t.retrain().epochs()))
        .isEqualTo(List.of(Step.Trim.ITERATIONS, Step.Trim.LAYERS_PER_ITERATION, Step.Trim.STDS, Step.Trim.SAMPLES,
            Step.STRUCTURED_RETRAIN_EPOCHS));
    Step.PruneFilters f = (Step.PruneFilters) r.steps().get(2);
    assertThat(List.of(f.rounds(), f.align(), f.retrain().epochs()))
        .isEqualTo(List.of(Step.PruneFilters.ROUNDS, Step.ALIGN, Step.STRUCTURED_RETRAIN_EPOCHS));
    Step.Quantize q = (Step.Quantize) r.steps().get(3);
    assertThat(List.of(q.convBits(), q.fcBits(), q.init(), q.fineTune().epochs()))
        .isEqualTo(List.of(Step.Quantize.CONV_BITS, Step.Quantize.FC_BITS, Step.Quantize.INIT, 0));
  }

  @Test
  void pruneToTargetReadsItsBudgetAndRefusesBadOnesNamingTheField() {
    Recipe r = RecipeReader.parse("""
        steps:
          - prune-to-target: {target: macs=0.5, criterion: apoz, min-keep: 0.25, min-channels: 4, align: 8, rounds: 3,
                              samples: 500, max-drop: 0.5, retrain: {epochs: 2}}
          - prune-to-target: {target: params=0.3, retrain: {}}
          - prune-to-target: {target: macs=0.5, latency-table: true, latency-batch: 8, retrain: {}}
        """, "t.yaml");
    Step.PruneToTarget a = (Step.PruneToTarget) r.steps().get(0);
    assertThat(a.target()).isEqualTo(new dev.condense.plan.Target(dev.condense.plan.Measure.Kind.MACS, 0.5));
    assertThat(a.criterion()).isEqualTo(dev.condense.plan.Criterion.APOZ);
    assertThat(a.floor()).isEqualTo(new dev.condense.plan.ChannelFloor(0.25, 4, 8));
    assertThat(List.of(a.rounds(), a.samples(), a.retrain().epochs())).isEqualTo(List.of(3, 500, 2));
    assertThat(a.needsData()).isTrue();
    assertThat(a.maxDrop()).isEqualTo(0.005);
    Step.PruneToTarget b = (Step.PruneToTarget) r.steps().get(1);
    assertThat(b.maxDrop()).isNaN();
    assertThat(b.floor()).isEqualTo(new dev.condense.plan.ChannelFloor(0.1, 1, 1));
    assertThat(b.criterion()).isEqualTo(dev.condense.plan.Criterion.L1);
    assertThat(a.latencyTable()).isNull();
    assertThat(((Step.PruneToTarget) r.steps().get(2)).latencyTable())
        .isEqualTo(new dev.condense.plan.LatencyTableSpec(8, dev.condense.plan.LatencyTableSpec.REACH, null));
    assertThatThrownBy(() -> RecipeReader.parse("steps:\n  - prune-to-target: {target: macs=0.5, latency-batch: 8, retrain: {}}\n",
        "t.yaml")).hasMessageContaining("field 'latency-batch' needs 'latency-table: true'");
    assertThat(b.rounds()).isEqualTo(Step.PruneToTarget.ROUNDS);
    assertThatThrownBy(() -> RecipeReader.parse("steps:\n  - prune-to-target: {target: macs=1.5, retrain: {}}\n", "t.yaml"))
        .hasMessageContaining("recipe t.yaml").hasMessageContaining("field 'target'").hasMessageContaining("(0, 1)");
    assertThatThrownBy(() -> RecipeReader.parse("steps:\n  - prune-to-target: {target: macs=0.5, criterion: fpgm, retrain: {}}\n",
        "t.yaml")).hasMessageContaining("field 'criterion' must be one of l1, l2, apoz");
    assertThatThrownBy(() -> RecipeReader.parse("steps:\n  - prune-to-target: {retrain: {}}\n", "t.yaml"))
        .hasMessageContaining("missing field 'target'");
  }
}
