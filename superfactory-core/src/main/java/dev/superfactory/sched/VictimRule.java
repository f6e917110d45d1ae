package dev.superfactory.sched;

/**
 * Which running jobs a preemption may take, on top of the kernel's own rules (never a job of a
 * non-preemptible tenant, never one that is interrupted or stalled, never the job itself). A
 * policy's rule reads its {@link PassView} only.
 */
@FunctionalInterface
public interface VictimRule {
  boolean eligible(int victim);
}
