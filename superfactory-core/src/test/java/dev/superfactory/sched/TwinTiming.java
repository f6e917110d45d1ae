package dev.superfactory.sched;

import dev.superfactory.scenario.Presets;
import dev.superfactory.scenario.Scenario;
import dev.superfactory.sim.Simulation;
import dev.superfactory.sim.SimulationResult;

/**
 * Wall time of the twin on a preset (a measurement, not a test: {@code java -cp ...
 * dev.superfactory.sched.TwinTiming [preset] [days] [warmup days] [runs]}): to check that a change
 * to the kernel's hot path does not slow the twin. Prints each run's wall time and a few of its
 * outputs, which must not change either.
 */
public final class TwinTiming {
  private TwinTiming() {}

  public static void main(String[] args) {
    String preset = args.length > 0 ? args[0] : "fairwater";
    long days = args.length > 1 ? Long.parseLong(args[1]) : 7;
    long warmup = args.length > 2 ? Long.parseLong(args[2]) : 0;
    int runs = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    Scenario s = Presets.load(preset).withHorizonSeconds(days * 86_400).withWarmupSeconds(warmup * 86_400);
    for (int i = 0; i < runs; i++) {
      long a = System.nanoTime();
      SimulationResult r = new Simulation(s).run();
      System.out.printf("%s, %d days (+%d warm-up): %.2f s wall, %d events, %d running and %d pending at the end"
          + " %s, %d preemptions%n", preset, days, warmup, (System.nanoTime() - a) / 1e9, r.events(), r.runningAtEnd(),
          r.pendingAtEnd(), r.pendingReasons(), r.preemptions());
    }
  }
}
