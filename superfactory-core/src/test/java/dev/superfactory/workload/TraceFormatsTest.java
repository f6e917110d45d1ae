package dev.superfactory.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.superfactory.input.InputException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TraceFormatsTest {
  @Test
  void theBuiltInFormatsAreRegisteredInOrderUnderTheirOwnNames() {
    assertThat(TraceFormats.names()).containsExactly("native", "openb");
    for (String name : TraceFormats.names()) {
      assertThat(TraceFormats.get(name).name()).isEqualTo(name);
      assertThat(TraceFormats.get(name).describe()).isNotBlank();
    }
    assertThat(TraceFormats.all()).extracting(TraceFormat::name).isEqualTo(TraceFormats.names());
  }

  @Test
  void anUnknownNameFailsNamingTheNearestAndListingTheKnownOnes() {
    assertThatThrownBy(() -> TraceFormats.get("opnb")).isInstanceOf(InputException.class)
        .hasMessage("unknown trace format 'opnb'; did you mean 'openb'? (known: native, openb)");
    assertThatThrownBy(() -> TraceFormats.get("parquet")).isInstanceOf(InputException.class)
        .hasMessage("unknown trace format 'parquet' (known: native, openb)");
  }

  @Test
  void aTraceSourceLooksItsFormatUpAndABarePathIsNative() {
    TraceSource openb = TraceSource.parse("openb:data/pods.csv");
    assertThat(openb.format()).isSameAs(TraceFormats.get("openb"));
    assertThat(openb.path()).isEqualTo(Path.of("data/pods.csv"));
    assertThat(openb).hasToString("openb:data/pods.csv");
    assertThat(TraceSource.parse("jobs.csv").format()).isSameAs(TraceFormats.get("native"));
    assertThatThrownBy(() -> TraceSource.parse("natve:jobs.csv")).isInstanceOf(InputException.class)
        .hasMessage("unknown trace format 'natve'; did you mean 'native'? (known: native, openb); "
            + "write FORMAT:PATH, e.g. native:jobs.csv");
  }
}
