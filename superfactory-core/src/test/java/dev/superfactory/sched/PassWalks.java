package dev.superfactory.sched;

/** For timings outside this package: kernels built from now on walk the whole queue in every pass (true) or not. */
public final class PassWalks {
  private PassWalks() {}

  public static void wholeQueue(boolean whole) {
    PassRunner.wholeQueueByDefault = whole;
  }
}
