package dev.superfactory.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.superfactory.input.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeTraceTest {
  @TempDir Path dir;

  private final List<Tenant> tenants = new ArrayList<>(List.of(new Tenant("a", "A", 100), new Tenant("b", "B", 100)));

  private Path write(String text) throws Exception {
    Path f = dir.resolve("jobs.csv");
    Files.writeString(f, text);
    return f;
  }

  @Test
  void writtenTraceReadsBackIdentically() throws Exception {
    Jobs jobs = new Jobs();
    jobs.add(0, 0, 8, 8, false, 3600, 3000);
    jobs.add(5, 1, 64, 8, true, 100, 100);
    jobs.add(5, 0, 1, 1, false, 1, 1);
    Path f = dir.resolve("t.csv");
    NativeTrace.write(jobs, tenants, f);
    Jobs back = NativeTrace.read(f, tenants, 100);
    assertThat(back.size()).isEqualTo(3);
    for (int j = 0; j < 3; j++) {
      assertThat(back.submit(j)).isEqualTo(jobs.submit(j));
      assertThat(back.tenant(j)).isEqualTo(jobs.tenant(j));
      assertThat(back.gpus(j)).isEqualTo(jobs.gpus(j));
      assertThat(back.scaleUpGroup(j)).isEqualTo(jobs.scaleUpGroup(j));
      assertThat(back.spanSites(j)).isEqualTo(jobs.spanSites(j));
      assertThat(back.durationSeconds(j)).isEqualTo(jobs.durationSeconds(j));
      assertThat(back.expectedSeconds(j)).isEqualTo(jobs.expectedSeconds(j));
    }
  }

  @Test
  void columnsMayComeInAnyOrderAndOptionalOnesDefault() throws Exception {
    Jobs jobs = NativeTrace.read(write("duration_seconds,gpus,tenant,submit_seconds\n60,16,b,7\n30,4,a,3\n"), tenants, 100);
    assertThat(jobs.size()).isEqualTo(2);
    // rows are sorted by submit time
    assertThat(jobs.submit(0)).isEqualTo(3);
    assertThat(jobs.scaleUpGroup(0)).isEqualTo(4);
    assertThat(jobs.scaleUpGroup(1)).isEqualTo(8);
    assertThat(jobs.expectedSeconds(1)).isEqualTo(60);
    assertThat(jobs.spanSites(1)).isFalse();
  }

  @Test
  void badRowNamesFileLineAndColumn() throws Exception {
    Path f = write("tenant,submit_seconds,gpus,duration_seconds\na,0,8,60\na,1,eight,60\n");
    assertThatThrownBy(() -> NativeTrace.read(f, tenants, 100))
        .isInstanceOf(InputException.class)
        .hasMessage(f + ":3: gpus: must be a whole number (GPU count), got 'eight'");
  }

  @Test
  void negativeSubmitAndZeroDurationAreRejected() throws Exception {
    Path f1 = write("tenant,submit_seconds,gpus,duration_seconds\na,-5,8,60\n");
    assertThatThrownBy(() -> NativeTrace.read(f1, tenants, 100)).hasMessageContaining(":2: submit_seconds: must be >= 0");
    Path f2 = write("tenant,submit_seconds,gpus,duration_seconds\na,5,8,0\n");
    assertThatThrownBy(() -> NativeTrace.read(f2, tenants, 100)).hasMessageContaining(":2: duration_seconds: must be > 0");
  }

  @Test
  void unknownTenantAndColumnAreNamed() throws Exception {
    Path f = write("tenant,submit_seconds,gpus,duration_seconds\nc,0,8,60\n");
    assertThatThrownBy(() -> NativeTrace.read(f, tenants, 100))
        .hasMessageContaining(":2: tenant: unknown tenant 'c'").hasMessageContaining("a, b");
    Path g = write("tenant,submitted,gpus,duration_seconds\n");
    assertThatThrownBy(() -> NativeTrace.read(g, tenants, 100))
        .hasMessageContaining(":1: unknown column 'submitted'");
    Path h = write("tenant,gpus,duration_seconds\n");
    assertThatThrownBy(() -> NativeTrace.read(h, tenants, 100))
        .hasMessageContaining("missing required column 'submit_seconds'");
  }

  @Test
  void groupMustDivideTheGang() throws Exception {
    Path f = write("tenant,submit_seconds,gpus,scale_up_group,duration_seconds\na,0,12,8,60\n");
    assertThatThrownBy(() -> NativeTrace.read(f, tenants, 100))
        .hasMessageContaining(":2: scale_up_group: gpus 12 is not a multiple of scale_up_group 8");
  }

  @Test
  void tenantsComeFromTheTraceWhenTheScenarioHasNone() throws Exception {
    List<Tenant> none = new ArrayList<>();
    Jobs jobs = NativeTrace.read(write("tenant,submit_seconds,gpus,duration_seconds\nx,0,1,5\ny,1,1,5\nx,2,1,5\n"), none, 64);
    assertThat(none).extracting(Tenant::name).containsExactly("x", "y");
    assertThat(jobs.tenant(2)).isZero();
  }
}
