package dev.superfactory.sched;

/** Why a job is still pending: the answer to "why is my job not running?". */
public enum PendingReason {
  /** Not yet examined by a scheduling pass. */
  NEW("not yet considered"),
  /** Fewer free GPUs (in its allowed sites) than it needs. */
  NO_CAPACITY("not enough free GPUs"),
  /** Enough free GPUs, but not in whole scale-up groups / domains as the gang needs. */
  FRAGMENTED("enough free GPUs, but fragmented across domains"),
  /** Its tenant already holds its GPU limit. */
  TENANT_LIMIT("tenant at its GPU limit"),
  /** FIFO: waiting behind a blocked job at the head of the queue. */
  BEHIND_HEAD("behind the blocked head of the queue"),
  /** Backfilling it would delay the reservation held by the head of the queue. */
  RESERVATION("would delay the head-of-queue reservation"),
  /** Could never run: larger than its tenant's limit or the GPUs it may use, or a scale-up group no domain holds. */
  TOO_LARGE("larger than its tenant limit or than the fleet it may use can hold");

  private final String text;

  PendingReason(String text) {
    this.text = text;
  }

  public String text() {
    return text;
  }
}
