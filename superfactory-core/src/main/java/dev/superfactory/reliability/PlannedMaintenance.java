package dev.superfactory.reliability;

/**
 * A rolling maintenance (firmware upgrade, say): units of {@code scope} go down one after another,
 * unit i at {@code startSeconds + i · everySeconds} for {@code durationSeconds}; the rollout
 * restarts every {@code repeatSeconds} (0 = once). Jobs on a unit are drained: they checkpoint
 * first (no work lost) and pay the restart costs.
 */
public record PlannedMaintenance(
    String name, Scope scope, long startSeconds, long everySeconds, long durationSeconds, long repeatSeconds) {
  public PlannedMaintenance {
    if (scope != Scope.DOMAIN && scope != Scope.BLOCK && scope != Scope.SITE) {
      throw new IllegalArgumentException("maintenance " + name + ": scope must be domain, block or site, got " + scope);
    }
    if (startSeconds < 0 || everySeconds <= 0 || durationSeconds <= 0 || repeatSeconds < 0) {
      throw new IllegalArgumentException("maintenance " + name + ": times must be positive");
    }
  }
}
