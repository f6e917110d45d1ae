package dev.superfactory.workload;

import java.util.Arrays;

/**
 * All jobs of a run as a table of primitive columns (struct of arrays): a job is its row index.
 * 10,000,000 jobs take ≈ 700 MB; 1,000,000 ≈ 70 MB. No object per job.
 *
 * <p>A job is a gang: {@code gpus} GPUs that start together or not at all, in scale-up groups of
 * {@code scaleUpGroup} GPUs that must share one NVLink domain (the tensor-parallel group). It may
 * span sites only if {@code spanSites}. {@code durationSeconds} is how long it runs once started
 * (unknown to the scheduler); {@code expectedSeconds} is what the scheduler is told (EASY
 * backfilling uses it). Jobs are added in submit order.
 *
 * <p>The run's outcome per job ({@code start}, {@code end}) is recorded here too; -1 = not yet.
 */
public final class Jobs {
  private static final byte SPAN_SITES = 1;
  private static final byte REJECTED = 2;

  private int size;
  private long[] submit;
  private int[] tenant;
  private int[] gpus;
  private int[] scaleUpGroup;
  private byte[] flags;
  private long[] duration;
  private long[] expected;
  private long[] start;
  private long[] end;
  private short[] site; // single site of a started job; MULTI_SITE for a job on several sites
  private final it.unimi.dsi.fastutil.ints.Int2ObjectOpenHashMap<int[]> multiSite =
      new it.unimi.dsi.fastutil.ints.Int2ObjectOpenHashMap<>();
  private String[] names;
  private TraceInfo traceInfo;
  private short[] model; // index into modelNames, -1 = none; allocated on first use
  private double[] tokens;
  private final java.util.List<String> modelNames = new java.util.ArrayList<>();
  private static final short MULTI_SITE = -2;
  private static final short NO_SITE = -1;

  public Jobs() {
    this(1024);
  }

  public Jobs(int capacity) {
    int c = Math.max(16, capacity);
    submit = new long[c];
    tenant = new int[c];
    gpus = new int[c];
    scaleUpGroup = new int[c];
    flags = new byte[c];
    duration = new long[c];
    expected = new long[c];
    start = new long[c];
    end = new long[c];
    site = new short[c];
  }

  /**
   * Appends a job; returns its id. Submit times must not decrease.
   *
   * @throws IllegalArgumentException on a non-positive size or duration, a group that does not
   *     divide the gang, or a submit time before the previous job's
   */
  public int add(long submitSeconds, int tenantIndex, int gpuCount, int group, boolean spanSites,
      long durationSeconds, long expectedSeconds) {
    if (gpuCount <= 0 || group <= 0 || gpuCount % group != 0) {
      throw new IllegalArgumentException(String.format(
          "gpus=%d must be a positive multiple of scaleUpGroup=%d", gpuCount, group));
    }
    if (durationSeconds <= 0 || expectedSeconds <= 0 || submitSeconds < 0) {
      throw new IllegalArgumentException(String.format(
          "submit=%d, duration=%d, expected=%d: durations must be > 0 and submit >= 0",
          submitSeconds, durationSeconds, expectedSeconds));
    }
    if (size > 0 && submitSeconds < submit[size - 1]) {
      throw new IllegalArgumentException(String.format(
          "jobs must be added in submit order: %d after %d", submitSeconds, submit[size - 1]));
    }
    if (size == submit.length) {
      grow();
    }
    int id = size++;
    submit[id] = submitSeconds;
    tenant[id] = tenantIndex;
    gpus[id] = gpuCount;
    scaleUpGroup[id] = group;
    flags[id] = spanSites ? SPAN_SITES : 0;
    duration[id] = durationSeconds;
    expected[id] = expectedSeconds;
    start[id] = -1;
    end[id] = -1;
    site[id] = NO_SITE;
    return id;
  }

  /** Gives job {@code id} a name from a trace (shown in outputs instead of the number). */
  public void setName(int id, String name) {
    if (names == null) {
      names = new String[submit.length];
    }
    names[id] = name;
  }

  private void grow() {
    int c = submit.length * 2;
    submit = Arrays.copyOf(submit, c);
    tenant = Arrays.copyOf(tenant, c);
    gpus = Arrays.copyOf(gpus, c);
    scaleUpGroup = Arrays.copyOf(scaleUpGroup, c);
    flags = Arrays.copyOf(flags, c);
    duration = Arrays.copyOf(duration, c);
    expected = Arrays.copyOf(expected, c);
    start = Arrays.copyOf(start, c);
    end = Arrays.copyOf(end, c);
    site = Arrays.copyOf(site, c);
    if (model != null) {
      int old = model.length;
      model = Arrays.copyOf(model, c);
      Arrays.fill(model, old, c, (short) -1);
      tokens = Arrays.copyOf(tokens, c);
    }
    if (names != null) {
      names = Arrays.copyOf(names, c);
    }
  }

  public int size() {
    return size;
  }

  public long submit(int j) {
    return submit[j];
  }

  public int tenant(int j) {
    return tenant[j];
  }

  public int gpus(int j) {
    return gpus[j];
  }

  public int scaleUpGroup(int j) {
    return scaleUpGroup[j];
  }

  public boolean spanSites(int j) {
    return (flags[j] & SPAN_SITES) != 0;
  }

  public long durationSeconds(int j) {
    return duration[j];
  }

  public long expectedSeconds(int j) {
    return expected[j];
  }

  /** Says job {@code j} trains {@code modelName} on {@code trainingTokens} tokens. */
  public void setModel(int j, String modelName, double trainingTokens) {
    if (model == null) {
      model = new short[submit.length];
      Arrays.fill(model, (short) -1);
      tokens = new double[submit.length];
    }
    int index = modelNames.indexOf(modelName);
    if (index < 0) {
      if (modelNames.size() >= Short.MAX_VALUE) {
        throw new IllegalArgumentException("too many distinct models");
      }
      modelNames.add(modelName);
      index = modelNames.size() - 1;
    }
    model[j] = (short) index;
    tokens[j] = trainingTokens;
  }

  /** The model job j trains, or null if it is given by its duration only. */
  public String model(int j) {
    return model == null || model[j] < 0 ? null : modelNames.get(model[j]);
  }

  /** Index of job j's model in {@link #modelNames()}, or -1. */
  public int modelIndex(int j) {
    return model == null ? -1 : model[j];
  }

  public java.util.List<String> modelNames() {
    return java.util.Collections.unmodifiableList(modelNames);
  }

  /** Training tokens of job j (0 if it has no model). */
  public double tokens(int j) {
    return tokens == null ? 0 : tokens[j];
  }

  /** Where the jobs came from, when they were read from a trace; null for generated jobs. */
  public TraceInfo traceInfo() {
    return traceInfo;
  }

  public void setTraceInfo(TraceInfo info) {
    this.traceInfo = info;
  }

  /** Marks a job the scheduler refused because it can never run. */
  public void setRejected(int j) {
    flags[j] |= REJECTED;
  }

  public boolean rejected(int j) {
    return (flags[j] & REJECTED) != 0;
  }

  /** Trace name, or the id as text. */
  public String name(int j) {
    return names != null && names[j] != null ? names[j] : Integer.toString(j);
  }

  public boolean hasNames() {
    return names != null;
  }

  public long start(int j) {
    return start[j];
  }

  public long end(int j) {
    return end[j];
  }

  public void setStart(int j, long t) {
    start[j] = t;
  }

  public void setEnd(int j, long t) {
    end[j] = t;
  }

  /** Records where a started job runs: its GPUs on each site (indexed like the fleet's sites). */
  public void setPlacement(int j, int[] gpusBySite) {
    int only = NO_SITE;
    for (int s = 0; s < gpusBySite.length; s++) {
      if (gpusBySite[s] > 0) {
        only = only == NO_SITE ? s : MULTI_SITE;
      }
    }
    site[j] = (short) only;
    if (only == MULTI_SITE) {
      multiSite.put(j, gpusBySite.clone());
    } else {
      multiSite.remove(j);
    }
  }

  /** GPUs of job j on site s; 0 if it has not started. */
  public int gpusOnSite(int j, int s) {
    if (site[j] == MULTI_SITE) {
      return multiSite.get(j)[s];
    }
    return site[j] == s ? gpus[j] : 0;
  }

  /** Number of sites job j ran on (0 if it never started). */
  public int siteCount(int j) {
    if (site[j] == NO_SITE) {
      return 0;
    }
    if (site[j] != MULTI_SITE) {
      return 1;
    }
    int n = 0;
    for (int g : multiSite.get(j)) {
      if (g > 0) {
        n++;
      }
    }
    return n;
  }

  /** Total GPU-seconds the jobs ask for (gpus × duration). */
  public double demandGpuSeconds() {
    double sum = 0;
    for (int j = 0; j < size; j++) {
      sum += (double) gpus[j] * duration[j];
    }
    return sum;
  }

  /** The same jobs with submit times divided by {@code speedup} (a trace replayed faster). O(jobs). */
  public Jobs withSubmitsScaled(double speedup) {
    Jobs out = new Jobs(size);
    for (int j = 0; j < size; j++) {
      int id = out.add((long) Math.floor(submit[j] / speedup), tenant[j], gpus[j], scaleUpGroup[j], spanSites(j),
          duration[j], expected[j]);
      if (names != null && names[j] != null) {
        out.setName(id, names[j]);
      }
      if (model(j) != null) {
        out.setModel(id, model(j), tokens(j));
      }
    }
    out.setTraceInfo(traceInfo);
    return out;
  }

  /** Resets the per-run outcome so the same table can be simulated again. */
  public void resetOutcome() {
    Arrays.fill(start, 0, size, -1);
    Arrays.fill(end, 0, size, -1);
    Arrays.fill(site, 0, size, NO_SITE);
    for (int j = 0; j < size; j++) {
      flags[j] &= ~REJECTED;
    }
    multiSite.clear();
  }
}
