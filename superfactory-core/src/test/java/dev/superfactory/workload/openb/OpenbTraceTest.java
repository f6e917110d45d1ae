package dev.superfactory.workload.openb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.superfactory.input.InputException;
import dev.superfactory.workload.Jobs;
import dev.superfactory.workload.Tenant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenbTraceTest {
  static final String HEADER =
      "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time";

  @TempDir Path dir;

  private Path pods(String... rows) throws Exception {
    return write(HEADER + "\n" + String.join("\n", rows) + "\n");
  }

  private Path write(String text) throws Exception {
    Path f = dir.resolve("openb_pod_list_test.csv");
    Files.writeString(f, text);
    return f;
  }

  private static OpenbTrace.Result read(Path f) {
    return OpenbTrace.read(f, List.of(), OpenbTrace.Options.defaults());
  }

  // ---- one row of each kind ----

  @Test
  void aWholeGpuPodBecomesOneJobSubmittedAtCreationRunningFromSchedulingToDeletion() throws Exception {
    OpenbTrace.Result r = read(pods("openb-pod-0001,4000,8192,1,1000,,LS,Succeeded,100,700,130"));
    Jobs jobs = r.jobs();
    assertThat(jobs.size()).isEqualTo(1);
    assertThat(jobs.name(0)).isEqualTo("openb-pod-0001");
    assertThat(jobs.submit(0)).isEqualTo(100);
    assertThat(jobs.gpus(0)).isEqualTo(1);
    assertThat(jobs.scaleUpGroup(0)).isEqualTo(1);
    assertThat(jobs.spanSites(0)).isFalse();
    // run time = deletion - scheduled = 700 - 130 = 570 s; the scheduler is told the truth
    assertThat(jobs.durationSeconds(0)).isEqualTo(570);
    assertThat(jobs.expectedSeconds(0)).isEqualTo(570);
    assertThat(r.tenants().get(jobs.tenant(0)).name()).isEqualTo("ls");
  }

  @Test
  void aMultiGpuPodIsOneGangThatMustShareOneScaleUpDomain() throws Exception {
    Jobs jobs = read(pods("p,32000,65536,8,1000,,BE,Running,0,3600,60")).jobs();
    assertThat(jobs.gpus(0)).isEqualTo(8);
    assertThat(jobs.scaleUpGroup(0)).isEqualTo(8);
  }

  @Test
  void aGpuSharingPodIsRoundedUpToOneWholeGpuByDefaultAndTheExtraGpuHoursAreReported() throws Exception {
    // shared: 1 GPU at 500 milli-GPUs for 7,200 s = 2 GPU-hours booked, 1 of them added by rounding up
    OpenbTrace.Result r = read(pods("p,6000,12288,1,500,,LS,Running,0,7200,0"));
    assertThat(r.jobs().size()).isEqualTo(1);
    assertThat(r.jobs().gpus(0)).isEqualTo(1);
    assertThat(r.sharedGpuPods()).isEqualTo(1);
    assertThat(r.notes()).anySatisfy(n -> assertThat(n)
        .contains("1 pods share a GPU").contains("rounded up").contains("adding 1 GPU-hours (50.0% of the jobs' GPU-hours)"));
  }

  @Test
  void gpuSharingPodsAreSkippedAndCountedWhenTheOptionsSaySo() throws Exception {
    Path f = pods("shared,6000,12288,1,460,,LS,Running,0,100,0", "whole,6000,12288,1,1000,,LS,Running,0,100,0");
    OpenbTrace.Result r = OpenbTrace.read(f, List.of(),
        OpenbTrace.Options.defaults().withSharedGpu(OpenbTrace.SharedGpu.SKIP));
    assertThat(r.jobs().size()).isEqualTo(1);
    assertThat(r.jobs().name(0)).isEqualTo("whole");
    assertThat(r.skipped()).containsEntry(SkipReason.SHARED_GPU, 1L);
  }

  @Test
  void aCpuOnlyPodIsSkippedAndCountedAsCpuOnly() throws Exception {
    OpenbTrace.Result r = read(pods("cpu,88000,65536,0,0,,Burstable,Running,0,100,0"));
    assertThat(r.jobs().size()).isZero();
    assertThat(r.skipped()).containsEntry(SkipReason.CPU_ONLY, 1L);
  }

  @Test
  void aPendingPodWithoutScheduledTimeIsSkippedAsNeverScheduled() throws Exception {
    OpenbTrace.Result r = read(pods("pending,11908,47104,1,1000,,BE,Pending,10001278,10001403,"));
    assertThat(r.jobs().size()).isZero();
    assertThat(r.skipped()).containsEntry(SkipReason.NEVER_SCHEDULED, 1L);
    assertThat(r.phases()).containsEntry(PodPhase.PENDING, 1L);
  }

  @Test
  void aCpuOnlyPendingPodIsCountedOnceAsCpuOnly() throws Exception {
    OpenbTrace.Result r = read(pods("p,1000,1024,0,0,,BE,Pending,0,10,"));
    assertThat(r.skipped()).containsEntry(SkipReason.CPU_ONLY, 1L).containsEntry(SkipReason.NEVER_SCHEDULED, 0L);
  }

  @Test
  void aPodDeletedTheSecondItWasScheduledRunsForOneSecond() throws Exception {
    OpenbTrace.Result r = read(pods("p,1000,1024,1,1000,,LS,Failed,5,9,9"));
    assertThat(r.jobs().durationSeconds(0)).isEqualTo(1);
    assertThat(r.notes()).anySatisfy(n -> assertThat(n).contains("1 jobs were deleted the second they were scheduled"));
  }

  // ---- the whole table ----

  @Test
  void everyRowIsEitherAJobOrCountedUnderExactlyOneSkipReason() throws Exception {
    OpenbTrace.Result r = read(pods(
        "a,1000,1024,1,1000,,LS,Running,0,100,0",
        "b,1000,1024,1,300,,LS,Running,1,100,2",
        "c,1000,1024,0,0,,BE,Running,2,100,2",
        "d,1000,1024,2,1000,,BE,Pending,3,100,",
        "e,1000,1024,0,0,,BE,Pending,4,100,",
        "f,1000,1024,4,1000,,Guaranteed,Succeeded,5,100,5"));
    assertThat(r.rows()).isEqualTo(6);
    assertThat(r.jobs().size()).isEqualTo(3);
    assertThat(r.skipped()).containsExactlyInAnyOrderEntriesOf(Map.of(
        SkipReason.CPU_ONLY, 2L, SkipReason.NEVER_SCHEDULED, 1L, SkipReason.SHARED_GPU, 0L));
    assertThat(r.jobs().size() + r.skippedTotal()).isEqualTo(r.rows());
    assertThat(r.jobGpus()).isEqualTo(1 + 1 + 4);
    assertThat(r.notes().get(0)).isEqualTo(
        "6 rows: 3 jobs, 3 rows skipped: 2 CPU-only (num_gpu = 0: asks for no GPU),"
            + " 1 never scheduled (no scheduled_time: run time unknown)");
  }

  @Test
  void jobsAreSortedBySubmitTimeAndKeepFileOrderWithinASecond() throws Exception {
    Jobs jobs = read(pods(
        "late,1000,1024,1,1000,,LS,Running,50,100,50",
        "first,1000,1024,1,1000,,LS,Running,10,100,10",
        "second,1000,1024,1,1000,,LS,Running,10,100,10")).jobs();
    assertThat(List.of(jobs.name(0), jobs.name(1), jobs.name(2))).containsExactly("first", "second", "late");
  }

  @Test
  void horizonIsTheLastDeletionTimeOfAnyRowAndPhasesAreCounted() throws Exception {
    OpenbTrace.Result r = read(pods(
        "a,1000,1024,1,1000,,LS,Running,0,500,0",
        "b,1000,1024,0,0,,LS,Failed,0,900,0",
        "c,1000,1024,1,1000,,LS,Succeeded,0,900,10"));
    assertThat(r.horizonSeconds()).isEqualTo(900);
    assertThat(r.phases()).containsExactlyInAnyOrderEntriesOf(Map.of(
        PodPhase.RUNNING, 1L, PodPhase.FAILED, 1L, PodPhase.SUCCEEDED, 1L, PodPhase.PENDING, 0L));
    // only job c ends at the horizon; b ends there too but is not a job
    assertThat(r.notes()).anySatisfy(n -> assertThat(n).startsWith("1 jobs were deleted at the trace's last time (900 s)"));
  }

  @Test
  void rowsWithAGpuSpecAreCountedAndTheConstraintIsSaidToBeIgnored() throws Exception {
    OpenbTrace.Result r = read(pods(
        "a,1000,1024,1,1000,V100M16|V100M32,LS,Running,0,500,0",
        "b,1000,1024,1,1000,,LS,Running,0,500,0"));
    assertThat(r.gpuSpecRows()).isEqualTo(1);
    assertThat(r.notes()).anySatisfy(n -> assertThat(n).startsWith("1 rows (1 of them jobs) name allowed GPU models")
        .contains("not modelled"));
  }

  @Test
  void theSchedulerIsToldTheRunTimeTimesTheExpectedFactor() throws Exception {
    Path f = pods("a,1000,1024,1,1000,,LS,Running,0,100,0");
    Jobs jobs = OpenbTrace.read(f, List.of(), OpenbTrace.Options.defaults().withExpectedFactor(1.5)).jobs();
    assertThat(jobs.durationSeconds(0)).isEqualTo(100);
    assertThat(jobs.expectedSeconds(0)).isEqualTo(150);
  }

  @Test
  void readingTheSameFileTwiceGivesTheSameJobs() throws Exception {
    Path f = pods("a,1000,1024,1,1000,,LS,Running,7,100,9", "b,1000,1024,2,1000,,BE,Running,3,50,4",
        "c,1000,1024,1,250,,Burstable,Running,3,80,3");
    Jobs one = read(f).jobs();
    Jobs two = read(f).jobs();
    assertThat(two.size()).isEqualTo(one.size());
    for (int j = 0; j < one.size(); j++) {
      assertThat(List.of(two.name(j), two.submit(j), two.tenant(j), two.gpus(j), two.durationSeconds(j)))
          .isEqualTo(List.of(one.name(j), one.submit(j), one.tenant(j), one.gpus(j), one.durationSeconds(j)));
    }
  }

  @Test
  void columnsMayComeInAnyOrder() throws Exception {
    Path f = write("scheduled_time,deletion_time,creation_time,pod_phase,qos,gpu_spec,gpu_milli,num_gpu,memory_mib,cpu_milli,name\n"
        + "20,80,10,Running,BE,,1000,2,1024,1000,x\n");
    Jobs jobs = read(f).jobs();
    assertThat(jobs.name(0)).isEqualTo("x");
    assertThat(jobs.gpus(0)).isEqualTo(2);
    assertThat(jobs.submit(0)).isEqualTo(10);
    assertThat(jobs.durationSeconds(0)).isEqualTo(60);
  }

  @Test
  void windowsLineEndingsAndBlankLinesDoNotChangeTheRows() throws Exception {
    Path f = write(HEADER + "\r\n" + "a,1000,1024,1,1000,,LS,Running,0,100,0\r\n\r\n" + "b,1000,1024,0,0,,LS,Running,0,100,0\r\n");
    OpenbTrace.Result r = read(f);
    assertThat(r.rows()).isEqualTo(2);
    assertThat(r.jobs().durationSeconds(0)).isEqualTo(100);
    assertThat(r.skipped()).containsEntry(SkipReason.CPU_ONLY, 1L);
  }

  // ---- tenants ----

  @Test
  void eachQosClassBecomesATenantInOrderOfFirstJob() throws Exception {
    OpenbTrace.Result r = read(pods(
        "a,1000,1024,0,0,,Guaranteed,Running,0,100,0",
        "b,1000,1024,1,1000,,BE,Running,1,100,1",
        "c,1000,1024,1,1000,,LS,Running,2,100,2",
        "d,1000,1024,1,1000,,BE,Running,3,100,3"));
    assertThat(r.tenants()).containsExactly(
        new Tenant("be", "BE (best-effort)", Integer.MAX_VALUE), new Tenant("ls", "LS (latency-sensitive)", Integer.MAX_VALUE));
    assertThat(List.of(r.jobs().tenant(0), r.jobs().tenant(1), r.jobs().tenant(2))).containsExactly(0, 1, 0);
  }

  @Test
  void oneTenantHoldsEveryJobWhenAsked() throws Exception {
    Path f = pods("a,1000,1024,1,1000,,LS,Running,0,100,0", "b,1000,1024,1,1000,,BE,Running,1,100,1");
    OpenbTrace.Result r = OpenbTrace.read(f, List.of(),
        OpenbTrace.Options.defaults().withTenants(OpenbTrace.TenantMode.SINGLE).withTenantGpuLimit(6212));
    assertThat(r.tenants()).containsExactly(new Tenant("openb", "Alibaba openb cluster", 6212));
    assertThat(List.of(r.jobs().tenant(0), r.jobs().tenant(1))).containsExactly(0, 0);
  }

  @Test
  void givenTenantsAreMatchedByQosClassNameAndTheGivenListIsLeftAlone() throws Exception {
    List<Tenant> given = new ArrayList<>(List.of(new Tenant("ls", "Online", 10), new Tenant("BE", "Batch", 20)));
    OpenbTrace.Result r = OpenbTrace.read(
        pods("a,1000,1024,1,1000,,BE,Running,0,100,0", "b,1000,1024,1,1000,,LS,Running,1,100,1"),
        given, OpenbTrace.Options.defaults());
    assertThat(r.tenants()).isEqualTo(given);
    assertThat(given).hasSize(2);
    assertThat(List.of(r.jobs().tenant(0), r.jobs().tenant(1))).containsExactly(1, 0);
  }

  @Test
  void aQosClassWithoutAGivenTenantIsAnErrorOnItsLine() throws Exception {
    Path f = pods("a,1000,1024,1,1000,,LS,Running,0,100,0", "b,1000,1024,1,1000,,Burstable,Running,1,100,1");
    assertThatThrownBy(() -> OpenbTrace.read(f, List.of(new Tenant("ls", "LS", 8)), OpenbTrace.Options.defaults()))
        .isInstanceOf(InputException.class)
        .hasMessageStartingWith(f + ":3: qos: no tenant 'burstable' for QoS class Burstable (tenants: ls)");
  }

  @Test
  void oneTenantModeWithGivenTenantsPutsEveryJobInTheFirst() throws Exception {
    Path f = pods("a,1000,1024,1,1000,,Burstable,Running,0,100,0");
    OpenbTrace.Result r = OpenbTrace.read(f, List.of(new Tenant("x", "X", 8), new Tenant("y", "Y", 8)),
        OpenbTrace.Options.defaults().withTenants(OpenbTrace.TenantMode.SINGLE));
    assertThat(r.jobs().tenant(0)).isZero();
    assertThat(r.tenants()).extracting(Tenant::name).containsExactly("x", "y");
  }

  // ---- malformed input ----

  @Test
  void aNonNumericFieldNamesFileLineColumnAndUnit() throws Exception {
    Path f = pods("a,1000,1024,1,1000,,LS,Running,0,100,0", "b,1000,1024,one,1000,,LS,Running,0,100,0");
    assertThatThrownBy(() -> read(f)).isInstanceOf(InputException.class)
        .hasMessage(f + ":3: num_gpu: must be a whole number (whole GPUs requested), got 'one'");
  }

  @Test
  void aNegativeTimeIsRejected() throws Exception {
    Path f = pods("a,1000,1024,1,1000,,LS,Running,-5,100,0");
    assertThatThrownBy(() -> read(f))
        .hasMessage(f + ":2: creation_time: must be >= 0 (creation time in seconds after the trace's start), got -5");
  }

  @Test
  void aDeletionBeforeCreationIsRejected() throws Exception {
    Path f = pods("a,1000,1024,1,1000,,LS,Running,200,100,");
    assertThatThrownBy(() -> read(f))
        .hasMessage(f + ":2: deletion_time: deleted at 100 s, before its creation at 200 s");
  }

  @Test
  void schedulingBeforeCreationOrAfterDeletionIsRejected() throws Exception {
    Path early = pods("a,1000,1024,1,1000,,LS,Running,50,100,40");
    assertThatThrownBy(() -> read(early))
        .hasMessage(early + ":2: scheduled_time: scheduled at 40 s, before its creation at 50 s");
    Path late = pods("a,1000,1024,1,1000,,LS,Running,50,100,101");
    assertThatThrownBy(() -> read(late))
        .hasMessage(late + ":2: scheduled_time: scheduled at 101 s, after its deletion at 100 s");
  }

  @Test
  void aRowWithTheWrongNumberOfFieldsIsRejected() throws Exception {
    Path f = pods("a,1000,1024,1,1000,,LS,Running,0,100");
    assertThatThrownBy(() -> read(f)).hasMessage(f + ":2: has 10 fields; the header has 11");
  }

  @Test
  void gpuSharesOutsideOneToAThousandMilliGpusAreRejected() throws Exception {
    Path over = pods("a,1000,1024,1,1500,,LS,Running,0,100,0");
    assertThatThrownBy(() -> read(over)).hasMessage(over + ":2: gpu_milli: must be at most 1000 (a whole GPU), got 1500");
    Path zero = pods("a,1000,1024,2,0,,LS,Running,0,100,0");
    assertThatThrownBy(() -> read(zero)).hasMessageStartingWith(zero + ":2: gpu_milli: is 0 but num_gpu is 2");
  }

  @Test
  void anUnknownQosClassOrPhaseIsRejected() throws Exception {
    Path qos = pods("a,1000,1024,1,1000,,Premium,Running,0,100,0");
    assertThatThrownBy(() -> read(qos)).hasMessageStartingWith(qos + ":2: qos: unknown QoS class 'Premium'");
    Path phase = pods("a,1000,1024,1,1000,,LS,Evicted,0,100,0");
    assertThatThrownBy(() -> read(phase)).hasMessageStartingWith(phase + ":2: pod_phase: unknown phase 'Evicted'");
  }

  @Test
  void anEmptyNameOrDeletionTimeIsRejected() throws Exception {
    Path name = pods(",1000,1024,1,1000,,LS,Running,0,100,0");
    assertThatThrownBy(() -> read(name)).hasMessage(name + ":2: name: is empty; expected pod name");
    Path deletion = pods("a,1000,1024,1,1000,,LS,Running,0,,0");
    assertThatThrownBy(() -> read(deletion))
        .hasMessage(deletion + ":2: deletion_time: is empty; expected deletion time in seconds after the trace's start");
  }

  // ---- header ----

  @Test
  void anUnknownHeaderColumnIsNamedWithTheNearestKnownOne() throws Exception {
    Path f = write(HEADER.replace("scheduled_time", "sheduled_time") + "\n");
    assertThatThrownBy(() -> read(f)).isInstanceOf(InputException.class)
        .hasMessageStartingWith(f + ":1: unknown column 'sheduled_time'; did you mean 'scheduled_time'?");
  }

  @Test
  void aPodListWithoutTimesIsRejectedNamingTheMissingColumns() throws Exception {
    // the authors' multigpu variants carry only these five columns
    Path f = write("name,cpu_milli,memory_mib,num_gpu,gpu_milli\nopenb-pod-0000,12000,16384,1,1000\n");
    assertThatThrownBy(() -> read(f))
        .hasMessageStartingWith(f + ":1: missing columns 'gpu_spec' (allowed GPU models")
        .hasMessageContaining("'creation_time' (creation time in seconds after the trace's start)")
        .hasMessageContaining("'scheduled_time'");
  }

  @Test
  void aColumnTwiceOrNoHeaderAtAllIsRejected() throws Exception {
    Path twice = write(HEADER + ",qos\n");
    assertThatThrownBy(() -> read(twice)).hasMessage(twice + ":1: column 'qos' appears twice");
    Path empty = write("");
    assertThatThrownBy(() -> read(empty)).hasMessageStartingWith(empty + ":1: no header row; expected name,cpu_milli,");
  }

  @Test
  void aMissingFileIsAnInputError() {
    Path f = dir.resolve("absent.csv");
    assertThatThrownBy(() -> read(f)).isInstanceOf(InputException.class).hasMessage(f + ": no such file");
  }
}
