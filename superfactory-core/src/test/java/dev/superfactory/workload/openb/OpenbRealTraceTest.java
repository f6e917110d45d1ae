package dev.superfactory.workload.openb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.superfactory.fleet.GpuCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Reads the real openb files where the project keeps them (outside the repository, for want of a
 * licence: {@code shared/data/traces/alibaba-openb-2023/} in an ancestor of the working directory)
 * and checks the counts its README publishes. Skipped only where that folder does not exist.
 */
class OpenbRealTraceTest {
  private static final String FOLDER = "shared/data/traces/alibaba-openb-2023";

  private static Path folder() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve(FOLDER);
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  @Test
  void theRealTraceHasThePublishedCountsAndEveryRowIsAccountedFor() {
    Path folder = folder();
    String where = "no " + FOLDER + " above " + Path.of("").toAbsolutePath();
    // CI (.ci/run) sets SUPERFACTORY_REQUIRE_SHARED: there the data must be present, so this cannot skip
    if (System.getenv("SUPERFACTORY_REQUIRE_SHARED") != null) {
      assertThat(folder).as(where).isNotNull();
    }
    Assumptions.assumeTrue(folder != null, where);

    OpenbTrace.Result pods = OpenbTrace.read(folder.resolve("openb_pod_list_default.csv"), List.of(),
        OpenbTrace.Options.defaults());
    // published: 8,152 pods; 1,088 CPU-only; phases Running 5,193, Failed 1,870, Pending 897, Succeeded 192;
    // 3,078 GPU-sharing pods; no gpu_spec; last deletion 12,902,960 s; last creation 12,901,761 s
    assertThat(pods.rows()).isEqualTo(8_152);
    assertThat(pods.skipped()).containsEntry(SkipReason.CPU_ONLY, 1_088L);
    assertThat(pods.phases()).containsExactly(entry(PodPhase.RUNNING, 5_193L), entry(PodPhase.SUCCEEDED, 192L),
        entry(PodPhase.FAILED, 1_870L), entry(PodPhase.PENDING, 897L));
    // 897 Pending pods, 36 of them CPU-only, leave 861 never-scheduled GPU pods
    assertThat(pods.skipped()).containsEntry(SkipReason.NEVER_SCHEDULED, 861L).containsEntry(SkipReason.SHARED_GPU, 0L);
    assertThat(pods.jobs().size()).isEqualTo(8_152 - 1_088 - 861);
    assertThat(pods.jobs().size() + pods.skippedTotal()).isEqualTo(pods.rows());
    assertThat(pods.sharedGpuPods()).isEqualTo(3_078);
    assertThat(pods.gpuSpecRows()).isZero();
    assertThat(pods.horizonSeconds()).isEqualTo(12_902_960);
    assertThat(pods.jobs().submit(pods.jobs().size() - 1)).isLessThanOrEqualTo(12_901_761);
    Map<Integer, Integer> jobsBySize = new TreeMap<>();
    for (int j = 0; j < pods.jobs().size(); j++) {
      jobsBySize.merge(pods.jobs().gpus(j), 1, Integer::sum);
    }
    // of the published 1 → 6,989, 2 → 16, 4 → 15, 8 → 44 pods, those that ran
    assertThat(jobsBySize).containsExactly(entry(1, 6_129), entry(2, 15), entry(4, 15), entry(8, 44));
    assertThat(pods.tenants()).extracting(t -> t.name()).containsExactlyInAnyOrder("ls", "be", "burstable", "guaranteed");

    OpenbTrace.Cluster gpuNodes = OpenbTrace.cluster(folder.resolve("openb_node_list_gpu_node.csv"), GpuCatalog.builtIn());
    // published: 1,213 GPU nodes with 6,212 GPUs: G2 549, T4 404, P100 134, V100M16 55, G3 39, V100M32 30, A10 2
    assertThat(gpuNodes.gpuNodes()).isEqualTo(1_213);
    assertThat(gpuNodes.gpus()).isEqualTo(6_212);
    assertThat(gpuNodes.cpuOnlyNodes()).isZero();
    assertThat(gpuNodes.nodesByModel()).containsExactly(entry("A10", 2), entry("G2", 549), entry("G3", 39),
        entry("P100", 134), entry("T4", 404), entry("V100M16", 55), entry("V100M32", 30));
    assertThat(gpuNodes.fleet().totalGpus()).isEqualTo(6_212);
    assertThat(gpuNodes.fleet().domainCount()).isEqualTo(1_213);

    OpenbTrace.Cluster allNodes = OpenbTrace.cluster(folder.resolve("openb_node_list_all_node.csv"), GpuCatalog.builtIn());
    // published: 1,523 nodes, 310 of them CPU-only
    assertThat(allNodes.rows()).isEqualTo(1_523);
    assertThat(allNodes.cpuOnlyNodes()).isEqualTo(310);
    assertThat(allNodes.gpus()).isEqualTo(6_212);
    assertThat(allNodes.nodesByModel()).isEqualTo(gpuNodes.nodesByModel());
  }
}
