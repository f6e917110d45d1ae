package dev.superfactory.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.superfactory.fleet.Allocation;
import dev.superfactory.input.YamlDocuments;
import dev.superfactory.reliability.ReliabilitySpec;
import dev.superfactory.scenario.Scenario;
import dev.superfactory.scenario.ScenarioReader;
import dev.superfactory.sched.JobRequest;
import dev.superfactory.sched.Scheduler;
import dev.superfactory.sched.SchedulerListener;
import dev.superfactory.sim.Simulation;
import dev.superfactory.workload.Jobs;
import dev.superfactory.workload.JobsBuilder;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import java.util.ArrayList;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * With exact run times the forecast is the start the twin gives: 300 jobs (1–40 GPUs, 10 min to
 * 10 h, declared = actual) all arrive at t = 0 on 16 servers of 8 GPUs; the twin runs them to the
 * end; a kernel given the same arrivals and pass at t = 0 is forecast. Every job's forecast start
 * equals the twin's first start, under each policy that needs no true run times.
 */
class ForecastMatchesTheTwinTest {
  private static final String YAML = """
      name: forecast-vs-twin
      horizon: 60d
      scheduler: {policy: POLICY}
      fleet:
        sites:
          - name: s0
            scaleOutBandwidthPerGpu: 400Gbps
            powerCapacityMw: 10
            blocks:
              - {gpu: h100, count: 2, domainsPerBlock: 8, gpusPerDomain: 8, domainPower: 10kW}
      tenants:
        - {name: a, gpuLimit: 128}
        - {name: b, gpuLimit: 64}
      """;

  @Test
  void theExactForecastIsTheTwinsStartUnderEveryPolicy() {
    for (String policy : java.util.List.of("fifo", "fifo-backfill", "priority", "fair-share", "sjf")) {
      Scenario s = ScenarioReader.read(YamlDocuments.parse(YAML.replace("POLICY", policy), "t.yaml"), "t.yaml");
      JobsBuilder b = new JobsBuilder(300);
      SplittableRandom r = new SplittableRandom(3);
      for (int j = 0; j < 300; j++) {
        long seconds = 600 + r.nextInt(36_000);
        b.add(0, r.nextInt(2), 1 + r.nextInt(40), 1, false, seconds, seconds, null);
      }
      Jobs jobs = b.build();
      Long2LongOpenHashMap twinStarts = new Long2LongOpenHashMap();
      new Simulation(s).watch(new SchedulerListener() {
        @Override
        public void started(long job, Allocation allocation, long now) {
          twinStarts.putIfAbsent(job, now);
        }
      }).run(jobs, new ArrayList<>(s.tenants()));

      Scheduler k = new Scheduler(s.fleet(), s.tenants(), s.scheduler().newPolicy(null),
          new Scheduler.Options(false, s.scheduler().siteChoice()), (job, a, now) -> { });
      for (int j = 0; j < jobs.size(); j++) {
        k.submit(j, new JobRequest(jobs.tenant(j), jobs.gpus(j), 1, false, jobs.expectedSeconds(j)), 0);
      }
      k.schedule(0);
      Forecast f = new Forecaster(new Forecaster.Settings(60 * 86_400L, 0, 0, 1, RunTimeDraw.DEFAULT,
          ReliabilitySpec.off(), 1)).forecast(k);
      assertThat(f.size()).as(policy).isGreaterThan(200);
      for (int i = 0; i < f.size(); i++) {
        assertThat(f.start(i).exactSeconds()).as("%s: job %d", policy, f.job(i)).isEqualTo(twinStarts.get(f.job(i)));
      }
    }
  }
}
