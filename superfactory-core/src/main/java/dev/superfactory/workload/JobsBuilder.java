package dev.superfactory.workload;

import java.util.Arrays;

/**
 * Collects jobs in any order and builds a {@link Jobs} table sorted by submit time; jobs submitted
 * in the same second keep the order they were added in (stable). O(n log n).
 */
public final class JobsBuilder {
  private static final int INDEX_BITS = 28;

  private long[] submit;
  private int[] tenant;
  private int[] gpus;
  private int[] group;
  private boolean[] span;
  private long[] duration;
  private long[] expected;
  private String[] names;
  private String[] models;
  private double[] tokens;
  private int n;

  public JobsBuilder(int capacity) {
    int c = Math.max(16, capacity);
    submit = new long[c];
    tenant = new int[c];
    gpus = new int[c];
    group = new int[c];
    span = new boolean[c];
    duration = new long[c];
    expected = new long[c];
  }

  /** Adds a job; {@code name} may be null. Values are checked when {@link #build} adds them to {@link Jobs}. */
  public void add(long submitSeconds, int tenantIndex, int gpuCount, int scaleUpGroup, boolean spanSites,
      long durationSeconds, long expectedSeconds, String name) {
    if (n == submit.length) {
      int c = n * 2;
      submit = Arrays.copyOf(submit, c);
      tenant = Arrays.copyOf(tenant, c);
      gpus = Arrays.copyOf(gpus, c);
      group = Arrays.copyOf(group, c);
      span = Arrays.copyOf(span, c);
      duration = Arrays.copyOf(duration, c);
      expected = Arrays.copyOf(expected, c);
      if (names != null) {
        names = Arrays.copyOf(names, c);
      }
      if (models != null) {
        models = Arrays.copyOf(models, c);
        tokens = Arrays.copyOf(tokens, c);
      }
    }
    if (name != null && names == null) {
      names = new String[submit.length];
    }
    submit[n] = submitSeconds;
    tenant[n] = tenantIndex;
    gpus[n] = gpuCount;
    group[n] = scaleUpGroup;
    span[n] = spanSites;
    duration[n] = durationSeconds;
    expected[n] = expectedSeconds;
    if (names != null) {
      names[n] = name;
    }
    n++;
  }

  /** Adds every job {@code reader} has left, in the order it yields them; O(1) per job. Returns this builder. */
  public JobsBuilder addAll(TraceReader reader) {
    JobRow row = new JobRow();
    while (reader.next(row)) {
      add(row.submitSeconds(), row.tenant(), row.gpus(), row.scaleUpGroup(), row.spanSites(), row.durationSeconds(),
          row.expectedSeconds(), row.name());
      if (row.model() != null) {
        setModel(row.model(), row.tokens());
      }
    }
    return this;
  }

  /** Says the most recently added job trains {@code model} on {@code trainingTokens} tokens. */
  public void setModel(String model, double trainingTokens) {
    if (models == null) {
      models = new String[submit.length];
      tokens = new double[submit.length];
    }
    models[n - 1] = model;
    tokens[n - 1] = trainingTokens;
  }

  public int size() {
    return n;
  }

  public Jobs build() {
    if (n >= (1 << INDEX_BITS)) {
      throw new IllegalArgumentException("too many jobs: " + n + " (at most " + ((1 << INDEX_BITS) - 1) + ")");
    }
    long[] keys = new long[n];
    for (int i = 0; i < n; i++) {
      keys[i] = (submit[i] << INDEX_BITS) | i;
    }
    Arrays.sort(keys);
    Jobs jobs = new Jobs(n);
    for (long k : keys) {
      int i = (int) (k & ((1L << INDEX_BITS) - 1));
      int id = jobs.add(submit[i], tenant[i], gpus[i], group[i], span[i], duration[i], expected[i]);
      if (names != null && names[i] != null) {
        jobs.setName(id, names[i]);
      }
      if (models != null && models[i] != null) {
        jobs.setModel(id, models[i], tokens[i]);
      }
    }
    return jobs;
  }
}
