package dev.superfactory.cli;

import dev.superfactory.perf.FailureCalibration;
import dev.superfactory.perf.FailureObservation;
import dev.superfactory.perf.FailureProfile;
import dev.superfactory.perf.FailureProfiles;
import dev.superfactory.report.Format;
import dev.superfactory.report.TextTable;
import java.io.PrintWriter;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "failure-rates", mixinStandardHelpOptions = true,
    description = {"List the failure profiles by GPU generation and cluster type, with their fit to published figures.",
        "Each profile's rate comes from the studies it was calibrated to; the table shows every published",
        "figure, the model's value and the error."})
final class FailureRatesCommand implements Runnable {
  private static final String[] GPUS = {"a100", "h100", "h200", "b200", "gb200", "gb300"};

  @Spec CommandSpec spec;

  @Override
  public void run() {
    PrintWriter out = spec.commandLine().getOut();
    out.print(profiles());
    out.println();
    out.println("Default profile by GPU:");
    for (String gpu : GPUS) {
      FailureProfiles.Choice c = FailureProfiles.forGpu(gpu);
      out.printf(Locale.ROOT, "  %-6s %s (%s)%n", gpu, c.profile().name(), c.reason());
    }
    out.println();
    out.println("Fit: the model's figure against the published one (in sample: the profile is fitted to it)");
    out.print(calibration());
    out.println();
    out.println("Sources:");
    Set<String> cited = new LinkedHashSet<>();
    for (FailureObservation o : FailureCalibration.observations()) {
      if (cited.add(o.citation())) {
        out.println("  " + o.citation());
      }
    }
  }

  private static TextTable profiles() {
    TextTable t = new TextTable("profile", "GPU", "cluster", "per GPU-day>", "per 1,000 node-days>",
        "MTTF 1,024 GPUs>", "MTTF 16,384 GPUs>");
    for (FailureProfile p : FailureProfiles.all()) {
      t.row(p.name(), p.generation(), p.clusterType(), String.format(Locale.ROOT, "%.3e", p.unexpectedPerGpuDay()),
          Format.fixed(p.perThousandNodeDays(), 2), Format.hours(p.mttfHours(1024)), Format.hours(p.mttfHours(16_384)));
    }
    return t;
  }

  private static TextTable calibration() {
    TextTable t = new TextTable("published figure", "GPU", "GPUs>", "published>", "model>", "error>", "within>",
        "profile", "fit");
    for (FailureObservation o : FailureCalibration.observations()) {
      double rate = FailureProfiles.get(o.profile()).unexpectedPerGpuDay();
      t.row(o.study(), o.gpu(), Format.count(o.gpus()), published(o), value(o, o.predicted(rate)),
          String.format(Locale.ROOT, "%+.1f%%", 100 * o.relativeError(rate)),
          String.format(Locale.ROOT, "±%.0f%%", 100 * o.tolerance()), o.profile(),
          o.inSample() ? "in sample" : "check");
    }
    return t;
  }

  private static String published(FailureObservation o) {
    if (Double.isInfinite(o.publishedHigh())) {
      return ">= " + value(o, o.publishedLow());
    }
    return o.publishedLow() == o.publishedHigh() ? value(o, o.publishedLow())
        : value(o, o.publishedLow()) + "-" + value(o, o.publishedHigh());
  }

  private static String value(FailureObservation o, double v) {
    if (o.kind() == FailureObservation.Kind.MTTF_HOURS) {
      return Format.hours(v);
    }
    return v == Math.rint(v) ? Format.count(Math.round(v)) : Format.fixed(v, 1);
  }
}
