package dev.superfactory.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.superfactory.input.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCatalogTest {
  @TempDir Path dir;

  @Test
  void namesAndAliasesResolveCaseInsensitively() {
    assertThat(ModelCatalog.get("Llama3.1-70B").name()).isEqualTo("llama3-70b");
    assertThat(ModelCatalog.get("GPT-3").name()).isEqualTo("gpt3-175b");
    assertThat(ModelCatalog.names()).containsExactly(
        "gpt3-175b", "llama3-8b", "llama3-70b", "llama3-405b", "mixtral-8x7b", "deepseek-v3");
  }

  @Test
  void anUnknownModelNamesTheNearestAndListsAll() {
    assertThatThrownBy(() -> ModelCatalog.get("llama3-7b"))
        .isInstanceOf(InputException.class)
        .hasMessage("unknown model 'llama3-7b'; did you mean 'llama3-8b'? (known: gpt3-175b, llama3-8b, "
            + "llama3-70b, llama3-405b, mixtral-8x7b, deepseek-v3)");
  }

  @Test
  void aModelFileIsReadWithDefaults() throws Exception {
    Path f = dir.resolve("m.yaml");
    Files.writeString(f, "name: my-13b\nlayers: 40\nhiddenSize: 5120\nheads: 40\nffnHiddenSize: 13824\n"
        + "vocabSize: 32000\nseqLength: 4096\ngatedFfn: true\n");
    ModelSpec m = ModelCatalog.readFile(f);
    assertThat(m.name()).isEqualTo("my-13b");
    assertThat(m.kvHeads()).isEqualTo(40);
    assertThat(m.headDim()).isEqualTo(128);
    assertThat(m.parameters()).isBetween(13.0e9, 13.1e9);
  }

  @Test
  void aBadModelFileNamesFileLineAndField() throws Exception {
    Path f = dir.resolve("bad.yaml");
    Files.writeString(f, "name: x\nlayers: 4\nhiddenSize: 64\nheads: 8\nffnHiddenSze: 256\nvocabSize: 100\n"
        + "seqLength: 16\n");
    assertThatThrownBy(() -> ModelCatalog.readFile(f))
        .isInstanceOf(InputException.class)
        .hasMessage(f + ":5: ffnHiddenSze: unknown key 'ffnHiddenSze'; did you mean 'ffnHiddenSize'?");
    Files.writeString(f, "name: x\nlayers: -4\nhiddenSize: 64\nheads: 8\nffnHiddenSize: 256\nvocabSize: 100\n"
        + "seqLength: 16\n");
    assertThatThrownBy(() -> ModelCatalog.readFile(f))
        .hasMessage(f + ":2: layers: must be a positive whole number, got -4");
  }

  @Test
  void aModelFileWithAnImpossibleShapeSaysWhereAndWhy() throws Exception {
    Path f = dir.resolve("moe.yaml");
    Files.writeString(f, "name: moe\nlayers: 4\nhiddenSize: 64\nheads: 8\nvocabSize: 100\nseqLength: 16\n"
        + "experts: 8\nactiveExperts: 9\nexpertFfnHiddenSize: 128\n");
    assertThatThrownBy(() -> ModelCatalog.readFile(f))
        .hasMessage(f + ":1: model moe: need experts >= 2 and 1 <= activeExperts <= experts, got experts=8 "
            + "activeExperts=9");
  }
}
