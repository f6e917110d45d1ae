package dev.superfactory.sched;

import dev.superfactory.fleet.Allocation;
import dev.superfactory.fleet.Fleet;
import dev.superfactory.fleet.FleetState;
import dev.superfactory.fleet.PlacementPlan;
import it.unimi.dsi.fastutil.ints.Int2ObjectMap;
import it.unimi.dsi.fastutil.ints.Int2ObjectOpenHashMap;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.ints.IntOpenHashSet;

/**
 * Changes to a running gang's GPUs short of releasing it: restarting in place after a failure
 * (give up the domains where GPUs went out of service, take as many GPUs elsewhere), shrinking
 * to one site when a WAN link is cut, and swapping hot spares in. Remembers, for each interrupted
 * job, the domains where its GPUs failed, so the repair replaces exactly those.
 *
 * <p>Costs: {@link #noteFailure} O(1) expected; {@link #repairInPlace} O(domains of the job ·
 * failed domains) plus one placement ({@link Placer}), plus O(words of the job's domains) while
 * GPUs are cordoned ({@link Cordons}); {@link #shrinkToSite} O(domains of the job).
 */
final class AllocationRepair {
  private static final IntOpenHashSet NONE = new IntOpenHashSet();

  private final Fleet fleet;
  private final FleetState state;
  private final JobTable jobs;
  private final RunningJobs running;
  private final TenantUsage tenants;
  private final Placer placer;
  private final Cordons cordons;
  private final PlacementPlan plan = new PlacementPlan();
  private final Int2ObjectOpenHashMap<IntOpenHashSet> failedDomains = new Int2ObjectOpenHashMap<>();

  AllocationRepair(FleetState state, JobTable jobs, RunningJobs running, TenantUsage tenants, Placer placer,
      Cordons cordons) {
    this.fleet = state.fleet();
    this.state = state;
    this.jobs = jobs;
    this.running = running;
    this.tenants = tenants;
    this.placer = placer;
    this.cordons = cordons;
  }

  /** A copy over the copied parts: each interrupted job's failed domains copied. O(interrupted jobs' domains). */
  AllocationRepair(AllocationRepair from, FleetState state, JobTable jobs, RunningJobs running, TenantUsage tenants,
      Placer placer, Cordons cordons) {
    this(state, jobs, running, tenants, placer, cordons);
    for (Int2ObjectMap.Entry<IntOpenHashSet> e : from.failedDomains.int2ObjectEntrySet()) {
      failedDomains.put(e.getIntKey(), e.getValue().clone());
    }
  }

  /** Bytes of the failed-domain sets, estimated: ≈ 48 bytes per job (map entry, set header) and 8 per domain. */
  long footprintBytes() {
    long domains = 0;
    for (IntOpenHashSet set : failedDomains.values()) {
      domains += set.size();
    }
    return 48L * failedDomains.size() + 8L * domains;
  }

  /** Each interrupted job's failed domains, by slot ({@link KernelDigest}). O(noted domains · log). */
  void describe(java.util.function.Consumer<String> out) {
    int[] keys = failedDomains.keySet().toIntArray();
    java.util.Arrays.sort(keys);
    for (int s : keys) {
      int[] domains = failedDomains.get(s).toIntArray();
      java.util.Arrays.sort(domains);
      out.accept("failed domains of slot " + s + " " + java.util.Arrays.toString(domains));
    }
  }

  /** GPU {@code gpu} of job {@code s} went out of service. */
  void noteFailure(int s, int gpu) {
    failedDomains.computeIfAbsent(s, k -> new IntOpenHashSet()).add(fleet.gpuDomain(gpu));
  }

  /** Forgets a job's failed domains (it left, or spares replaced them). */
  void forget(int s) {
    if (!failedDomains.isEmpty()) {
      failedDomains.remove(s);
    }
  }

  /**
   * Restarts job {@code s} in place: gives up its share of every failed domain that holds a GPU
   * out of service, and of every domain where it holds a cordoned GPU (a restart is a new start,
   * and a cordon takes no new start), and takes as many GPUs elsewhere (on its site, unless it may span sites and
   * {@code spanAllowed}; never on a site its tenant's contract excludes). Returns the new allocation (the same one if none of its GPUs is down),
   * or null if no replacement fits: then the job holds only its healthy part, for the caller to
   * release.
   */
  Allocation repairInPlace(int s, boolean spanAllowed) {
    IntOpenHashSet failed = failedDomains.remove(s);
    Allocation a = jobs.allocation[s];
    if ((failed == null || failed.isEmpty()) && !cordons.any()) {
      return a;
    }
    int[] brokenAt = brokenDomains(a, failed == null ? NONE : failed);
    if (brokenAt.length == 0) {
      return a;
    }
    Allocation broken = a.subset(fleet, brokenAt);
    running.forgetOwners(broken);
    state.release(broken);
    int t = jobs.tenant(s);
    boolean span = jobs.spanSites(s) && spanAllowed;
    int healthy = a.gpus() - broken.gpus();
    long allowed = tenants.contract(t).siteMask();
    long sites = (span || healthy == 0 ? -1L : 1L << lastSite(a, broken)) & allowed;
    if (!placer.plan(broken.gpus(), jobs.group(s), span, sites, plan)) {
      Allocation rest = a.without(fleet, brokenAt);
      running.shrink(s, broken, rest); // the caller releases what is left
      tenants.replace(t, a, rest);
      return null;
    }
    Allocation replacement = state.allocate(plan);
    Allocation repaired = a.substitute(fleet, brokenAt, replacement);
    running.grow(s, replacement, repaired);
    tenants.replace(t, a, repaired);
    return repaired;
  }

  /**
   * Indices (within {@code a}) of the failed domains that hold a GPU still out of service, and of
   * the domains where {@code a} holds a cordoned GPU.
   */
  private int[] brokenDomains(Allocation a, IntOpenHashSet failed) {
    int[] targets = failed.toIntArray();
    IntArrayList hit = new IntArrayList();
    for (int i = 0; i < a.domainCount(); i++) {
      int d = a.domain(i);
      if (cordons.heldIn(a, i) > 0) {
        hit.add(i);
        continue;
      }
      for (int t : targets) {
        if (d == t && state.holdsDown(a, i)) {
          hit.add(i);
          break;
        }
      }
    }
    return hit.toIntArray();
  }

  /** The last site where {@code a} keeps GPUs once {@code broken} is taken away. */
  private int lastSite(Allocation a, Allocation broken) {
    int site = 0;
    for (int i = 0; i < fleet.siteCount(); i++) {
      if (a.gpusOnSite(i) > broken.gpusOnSite(i)) {
        site = i;
      }
    }
    return site;
  }

  /** Keeps job {@code s}'s GPUs on {@code site} and releases the rest; returns {@code [kept, released]}. */
  Allocation[] shrinkToSite(int s, int site) {
    Allocation before = jobs.allocation[s];
    Allocation[] parts = before.splitBySite(fleet, site);
    if (parts[1].gpus() > 0) {
      running.shrink(s, parts[1], parts[0]);
      state.release(parts[1]);
      tenants.replace(jobs.tenant(s), before, parts[0]);
    }
    return parts;
  }

  /** Replaces job {@code s}'s GPUs in [first, first + n) by spares of the same domains; null if some domain lacks them. */
  Allocation swapSpares(int s, SparePool spares, int first, int n) {
    Allocation swapped = spares.swap(jobs.allocation[s], first, n);
    if (swapped != null) {
      running.replace(s, swapped);
      forget(s);
    }
    return swapped;
  }
}
