package dev.superfactory.workload;

/**
 * One job as a {@link TraceReader} yields it: the inputs of one {@link Jobs} row. A reader
 * overwrites the same instance on every {@link TraceReader#next}, so reading a trace allocates no
 * object per job; copy what you keep.
 */
public final class JobRow {
  private long submitSeconds;
  private int tenant;
  private int gpus;
  private int scaleUpGroup;
  private boolean spanSites;
  private long durationSeconds;
  private long expectedSeconds;
  private String name;
  private String model;
  private double tokens;

  /** Sets every input and clears the model; {@code name} may be null. Returns this row. */
  public JobRow set(long submitSeconds, int tenant, int gpus, int scaleUpGroup, boolean spanSites,
      long durationSeconds, long expectedSeconds, String name) {
    this.submitSeconds = submitSeconds;
    this.tenant = tenant;
    this.gpus = gpus;
    this.scaleUpGroup = scaleUpGroup;
    this.spanSites = spanSites;
    this.durationSeconds = durationSeconds;
    this.expectedSeconds = expectedSeconds;
    this.name = name;
    this.model = null;
    this.tokens = 0;
    return this;
  }

  /** Says the job trains {@code model} on {@code trainingTokens} tokens. */
  public JobRow model(String model, double trainingTokens) {
    this.model = model;
    this.tokens = trainingTokens;
    return this;
  }

  public long submitSeconds() {
    return submitSeconds;
  }

  /** Index into the reader's {@link TraceReader#tenants()}. */
  public int tenant() {
    return tenant;
  }

  public int gpus() {
    return gpus;
  }

  public int scaleUpGroup() {
    return scaleUpGroup;
  }

  public boolean spanSites() {
    return spanSites;
  }

  public long durationSeconds() {
    return durationSeconds;
  }

  public long expectedSeconds() {
    return expectedSeconds;
  }

  /** The job's name in the trace, or null. */
  public String name() {
    return name;
  }

  /** The model the job trains, or null. */
  public String model() {
    return model;
  }

  public double tokens() {
    return tokens;
  }
}
