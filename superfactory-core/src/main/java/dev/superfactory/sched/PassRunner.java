package dev.superfactory.sched;

import dev.superfactory.fleet.Allocation;
import dev.superfactory.fleet.FleetState;
import dev.superfactory.fleet.PlacementPlan;
import it.unimi.dsi.fastutil.longs.Long2ObjectMap;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import java.util.Arrays;
import java.util.Objects;

/**
 * The kernel's side of a policy's pass: every decision validated, then applied. A start is
 * placed ({@link Placer}) and committed, or fails for a reason recorded on the job; with reclaim,
 * a job within its tenant's reservation takes GPUs back from borrowers; with a victim rule, running
 * jobs are preempted ({@link Preemptor}); a backfill starts a job only if it does not delay the
 * EASY reservation.
 *
 * <p>Per pass it remembers, for each set of sites a gang may use (all of them, all but the one a
 * reservation holds, a tenant's contracted sites), the smallest gang of each shape (span or not,
 * log2 of its scale-up group) that failed to fit there, and per tenant the smallest job whose
 * reclaim found nothing to free: a later job at least as large is refused in O(1), so a full pass
 * costs O(pending) plus the placements that can succeed. Within a pass capacity only shrinks, so
 * a failure stays a failure until a preemption frees GPUs and clears the memo.
 *
 * <p>In a kernel that keeps no pending reasons (a fork for a forecast), {@link #restCannotStart}
 * tells a policy when no further decision of the pass can start a job: fewer free GPUs than the
 * smallest pending request (a lower bound kept by size class, {@link PendingQueue}), and no
 * tenant's smallest pending job able to reclaim (outside its reservation, or more than the free
 * and borrowed GPUs, or no smaller than a reclaim that already failed in the pass). Within a pass
 * free GPUs, tenants' use and the memos change only by starts, preemptions and failed reclaims,
 * so the answer is kept until one of them: O(1) per call but O(tenants²) once per change.
 * {@link #restCannotBackfill} says the same of a pass whose remaining decisions are backfills
 * around a reservation, also when free GPUs are left but no pending job can use them.
 */
final class PassRunner implements QueuePolicy.Decisions {
  private final KernelState k;
  private final JobTable jobs;
  private final PendingQueue queue;
  private final RunningJobs running;
  private final TenantUsage tenants;
  private final EasyReservation easy;
  private final FleetState state;
  private final Placer placer;
  private final Preemptor preemptor;
  private final String policy;
  private final PlacementPlan plan = new PlacementPlan();
  // per pass and set of usable sites: the smallest gang that failed to fit, by (spanSites, log2 group)
  private final Long2ObjectOpenHashMap<int[][]> failedAtLeast = new Long2ObjectOpenHashMap<>();
  // per pass and tenant: the smallest job whose reclaim found nothing to free
  private int[] reclaimFailedAtLeast = new int[0];
  private final long allSites;
  // the early exit of a fork for a forecast (restCannotStart): changes to the fleet or memos within
  // the pass, and the answer found at the latest count
  private long changes;
  private long answeredAt = -1;
  private Reservation answeredFor;
  private boolean answer;
  private boolean wholeQueue = wholeQueueByDefault;
  private long walksStopped;
  /** For timings: runners built while this is true walk the whole queue (see {@link #walkWholeQueue}). */
  static volatile boolean wholeQueueByDefault;

  PassRunner(KernelState k, Preemptor preemptor, String policy) {
    this.k = k;
    this.jobs = k.jobs;
    this.queue = k.queue;
    this.running = k.running;
    this.tenants = k.tenants;
    this.easy = k.easy;
    this.state = k.state;
    this.placer = k.placer;
    this.preemptor = preemptor;
    this.policy = policy;
    this.allSites = (1L << k.fleet.siteCount()) - 1;
  }

  /** A runner over {@code k} (a copy of {@code from}'s kernel) with {@code from}'s memo copied. O(site sets + tenants). */
  PassRunner(PassRunner from, KernelState k, Preemptor preemptor) {
    this(k, preemptor, from.policy);
    for (Long2ObjectMap.Entry<int[][]> e : from.failedAtLeast.long2ObjectEntrySet()) {
      int[][] m = e.getValue();
      failedAtLeast.put(e.getLongKey(), new int[][] {m[0].clone(), m[1].clone()});
    }
    this.reclaimFailedAtLeast = from.reclaimFailedAtLeast.clone();
  }

  @Override
  public Outcome start(int job, Start how) {
    requirePending(job);
    Outcome o = tryStart(job, how.reclaim());
    if (o == Outcome.NO_FIT && how.victims() != null) {
      o = tryStartPreempting(job, how.victims());
    }
    if (o == Outcome.NO_FIT && how.reserveIfBlocked()) {
      easy.reserve(job, k.now);
    }
    return o;
  }

  @Override
  public Outcome backfill(int job, Reservation reservation) {
    requirePending(job);
    return tryBackfill(job, Objects.requireNonNull(reservation, "reservation"));
  }

  @Override
  public void defer(int job, PendingReason reason) {
    requirePending(job);
    k.defer(job, Objects.requireNonNull(reason, "reason"));
  }

  private void requirePending(int s) {
    if (s < 0 || s >= jobs.used() || jobs.state(s) != JobTable.PENDING) {
      throw notPending(s);
    }
  }

  private IllegalStateException notPending(int s) {
    return new IllegalStateException("policy " + policy + " decided on job handle " + s + ", which is not pending");
  }

  /** Places and starts job {@code s} now if its tenant has headroom and the gang fits. */
  private Outcome tryStart(int s) {
    Outcome o = place(s, 0);
    if (o == Outcome.STARTED) {
      commit(s);
    }
    return o;
  }

  /**
   * Like {@link #tryStart(int)}; with {@code reclaim}, a job that fits within its tenant's
   * reservation takes it back from other tenants' borrowed jobs: a victim's tenant stays at or
   * above its own reservation without it ({@link Preemptor}; else it could reclaim in turn, and
   * reclaims would cascade).
   */
  private Outcome tryStart(int s, boolean reclaim) {
    Outcome o = tryStart(s);
    int t = jobs.tenant(s);
    int need = jobs.gpus(s);
    if (o != Outcome.NO_FIT || !reclaim || !tenants.withinReservation(t, need) || need >= reclaimFailedAtLeast[t]) {
      return o;
    }
    if (state.freeGpus() + tenants.borrowedByOthers(t) < need) {
      reclaimFailed(t, need);
      return o;
    }
    long before = k.preemptions;
    Outcome started = tryStartPreempting(s, v -> jobs.tenant(v) != t); // the kernel keeps each victim's tenant at its reservation
    if (started != Outcome.STARTED && k.preemptions == before) {
      reclaimFailed(t, need); // nothing to free for this size
    }
    return started;
  }

  private void reclaimFailed(int t, int need) {
    reclaimFailedAtLeast[t] = Math.min(reclaimFailedAtLeast[t], need);
    changes++;
  }

  /**
   * Starts job {@code s}, preempting victims ({@link Preemptor}) one at a time until it fits;
   * stops once twice its size was freed without a fit (fragmentation).
   */
  private Outcome tryStartPreempting(int s, VictimRule rule) {
    Outcome o = tryStart(s);
    if (o != Outcome.NO_FIT) {
      return o;
    }
    int[] victims = preemptor.victims(s, rule, k.now);
    int needed = victims == null ? -1 : victimsNeeded(s, victims);
    if (needed < 0) {
      return Outcome.NO_FIT; // no start even with the victims it may take: preempt nobody for nothing
    }
    for (int i = 0; i < needed; i++) {
      preempt(victims[i], s);
    }
    return tryStart(s); // starts: the victims' GPUs make room, as victimsNeeded found
  }

  /**
   * How many victims, taken in order, would let job {@code s} start (enough free GPUs beyond the
   * reservations others do not lend, and a placement), or -1 if not even those worth twice its
   * size would. Each victim's GPUs are released tentatively and taken back exactly
   * ({@link FleetState#reacquire}); the only trace is the order of equally good domains in the
   * capacity index, which later best-fit ties follow. O(victims' domains) plus one placement per
   * victim tried.
   */
  private int victimsNeeded(int s, int[] victims) {
    int need = jobs.gpus(s);
    int t = jobs.tenant(s);
    int unlent = tenants.unlentReservations(t, need); // victims keep their tenants at their reservations
    long sites = tenants.contract(t).siteMask();
    boolean span = jobs.spanSites(s) && k.wan.spanAllowed();
    long freed = 0;
    int tried = 0;
    int found = -1;
    while (tried < victims.length && freed < 2L * need) {
      Allocation a = jobs.allocation[victims[tried++]];
      state.release(a);
      freed += a.gpus();
      if (need <= state.freeGpus() - unlent && placer.plan(need, jobs.group(s), span, sites, plan)) {
        found = tried;
        break;
      }
    }
    for (int i = tried - 1; i >= 0; i--) {
      state.reacquire(jobs.allocation[victims[i]]);
    }
    return found;
  }

  /** Stops a running job at once and puts it back in the queue in its arrival position. */
  private void preempt(int v, int byJob) {
    if (!preemptor.preemptible(v)) {
      throw new IllegalStateException("job " + jobs.id[v] + " is not preemptible");
    }
    k.listener.preempted(jobs.id[v], jobs.allocation[v], jobs.id[byJob], k.now);
    k.release(v);
    queue.insertByArrival(v);
    k.preemptions++;
    resetPassMemo(); // capacity grew within the pass: earlier failures may now fit
  }

  /** Starts job {@code s} only if it does not delay the reservation (EASY backfilling). */
  private Outcome tryBackfill(int s, Reservation r) {
    if (tenants.withinReservation(jobs.tenant(s), jobs.gpus(s)) && jobs.tenant(r.job) != jobs.tenant(s)) {
      return tryStart(s, true); // a reservation does not wait behind another tenant's queue
    }
    boolean endsAfter = KernelState.endOf(k.now, jobs.expectedSeconds(s)) > r.timeSeconds;
    long avoid = 0;
    if (endsAfter && jobs.gpus(s) > r.spareGpus) {
      // it cannot use the reserved site(s): rejected at once, or placed only elsewhere (no wasted plan)
      if (r.site < 0) {
        k.defer(s, PendingReason.RESERVATION);
        return Outcome.RESERVED;
      }
      avoid = 1L << r.site;
    }
    Outcome o = place(s, avoid);
    if (o != Outcome.STARTED) {
      return o;
    }
    if (endsAfter) {
      int used = plannedOn(r.site);
      if (used > r.spareGpus) {
        k.defer(s, PendingReason.RESERVATION);
        return Outcome.RESERVED;
      }
      r.spareGpus -= used;
    }
    commit(s);
    return Outcome.STARTED;
  }

  /** GPUs of the current plan on {@code site} (-1: all). */
  private int plannedOn(int site) {
    int used = 0;
    for (int i = 0; i < plan.size(); i++) {
      if (site < 0 || k.fleet.domainSite(plan.domain(i)) == site) {
        used += plan.count(i);
      }
    }
    return used;
  }

  /**
   * Plans job {@code s}'s placement, avoiding the sites in {@code avoidSites}; the plan is left in
   * {@link #plan}. {@link Outcome#RESERVED} when it would fit only on an avoided site.
   */
  private Outcome place(int s, long avoidSites) {
    int gpus = jobs.gpus(s);
    int t = jobs.tenant(s);
    if (tenants.gpus(t) + gpus > tenants.limit(t)) {
      k.defer(s, PendingReason.TENANT_LIMIT);
      return Outcome.TENANT_LIMIT;
    }
    if (gpus > state.freeGpus() - tenants.unlentReservations(t, gpus)) {
      k.defer(s, PendingReason.NO_CAPACITY);
      return Outcome.NO_FIT;
    }
    return plan(s, gpus, t, avoidSites);
  }

  /** Places a gang that passed the cheap checks: memo, then {@link Placer}; the plan is left in {@link #plan}. */
  private Outcome plan(int s, int gpus, int t, long avoidSites) {
    boolean span = jobs.spanSites(s);
    long sites = tenants.contract(t).siteMask() & ~avoidSites & allSites;
    int group = jobs.group(s);
    // the memo holds for power-of-two groups: a larger gang of the same shape needs whole groups at least as large
    int[] failed = Integer.bitCount(group) == 1 ? memo(sites)[span ? 1 : 0] : null;
    int shape = 31 - Integer.numberOfLeadingZeros(group);
    if (failed != null && gpus >= failed[shape]
        || !placer.plan(gpus, group, span && k.wan.spanAllowed(), sites, plan)) {
      if (failed != null) {
        failed[shape] = Math.min(failed[shape], gpus);
      }
      return noFit(s, gpus, avoidSites);
    }
    return Outcome.STARTED;
  }

  /** The failures of this pass on exactly {@code sites}, by (spanSites, log2 group). O(1) expected. */
  private int[][] memo(long sites) {
    int[][] m = failedAtLeast.get(sites);
    if (m == null) {
      m = new int[2][32];
      for (int[] row : m) {
        Arrays.fill(row, Integer.MAX_VALUE);
      }
      failedAtLeast.put(sites, m);
    }
    return m;
  }

  /** Why a gang that could not be placed waits: too few free GPUs, free ones only on avoided sites, or fragmented. */
  private Outcome noFit(int s, int gpus, long avoidSites) {
    if (gpus > state.freeGpus()) {
      k.defer(s, PendingReason.NO_CAPACITY);
      return Outcome.NO_FIT;
    }
    if (avoidSites != 0) {
      k.defer(s, PendingReason.RESERVATION); // the GPUs are there, but on the site the reservation holds
      return Outcome.RESERVED;
    }
    k.defer(s, PendingReason.FRAGMENTED);
    return Outcome.NO_FIT;
  }

  /** Commits the plan made by {@link #place} for job {@code s}. */
  private void commit(int s) {
    Allocation a = state.allocate(plan);
    changes++;
    queue.unlink(s);
    running.add(s, a, KernelState.endOf(k.now, jobs.expectedSeconds(s)));
    tenants.take(jobs.tenant(s), a);
    easy.forget(s);
    k.listener.started(jobs.id[s], a, k.now);
  }

  /** The memo of the last pass, by site set ({@link KernelDigest}). O(site sets). */
  void describe(java.util.function.Consumer<String> out) {
    long[] keys = failedAtLeast.keySet().toLongArray();
    Arrays.sort(keys);
    for (long sites : keys) {
      int[][] m = failedAtLeast.get(sites);
      out.accept("memo " + sites + " " + Arrays.toString(m[0]) + " " + Arrays.toString(m[1]));
    }
    out.accept("reclaim memo " + Arrays.toString(reclaimFailedAtLeast));
  }

  /**
   * Whether no decision in the rest of this pass can start a job without victims (see the class
   * comment); always false in a kernel that keeps pending reasons.
   */
  boolean restCannotStart() {
    if (k.keepsReasons || wholeQueue || state.freeGpus() >= queue.smallestGpusAtLeast()) {
      return false;
    }
    if (answeredAt != changes || answeredFor != null) {
      answeredAt = changes;
      answeredFor = null;
      answer = noTenantCanReclaim(state.freeGpus());
    }
    walksStopped += answer ? 1 : 0;
    return answer;
  }

  /**
   * Whether no decision in the rest of this pass can start a job when every one is a backfill
   * around {@code r} (or a start within a reservation, as {@link #tryBackfill} makes): as
   * {@link #restCannotStart}, or, with free GPUs left, none of them usable. For each tenant with a
   * pending job under its limit, with the GPUs it may take (free on its contract's sites, less
   * the reservations others do not lend), its smallest job (a lower bound) fits neither off the
   * reserved site, nor in the spare GPUs, nor (another tenant than the head's) within its own
   * reservation; and no pending job both fits what some tenant may take and declares a run that
   * ends by the promised time (by size and run-time class, {@link PendingQueue#mayHaveAtMost}).
   * O(1) mostly; O(tenants · (tenants + sites) + classes) once per change.
   */
  boolean restCannotBackfill(Reservation r) {
    if (k.keepsReasons || wholeQueue) {
      return false;
    }
    if (answeredAt != changes || answeredFor != r) {
      answeredAt = changes;
      answeredFor = r;
      answer = nothingUsable(r, state.freeGpus());
    }
    walksStopped += answer ? 1 : 0;
    return answer;
  }

  private boolean nothingUsable(Reservation r, int free) {
    if (free < queue.smallestGpusAtLeast()) {
      return noTenantCanReclaim(free);
    }
    int headTenant = jobs.tenant(r.job);
    int most = 0;
    for (int t = 0; t < tenants.count(); t++) {
      int least = queue.smallestGpusAtLeast(t);
      if (least == Integer.MAX_VALUE || least > tenants.headroom(t)) {
        continue; // none pending, or each would take its tenant over its limit: refused before any placement
      }
      long sites = tenants.contract(t).siteMask() & allSites;
      int usable = Math.min(freeOn(sites), free - tenants.unlentReservations(t, least)); // as place() and the placer bound it
      int offSite = r.site < 0 ? -1 : Math.min(usable, freeOn(sites & ~(1L << r.site)));
      if (least <= offSite || least <= Math.min(usable, r.spareGpus)
          || t != headTenant && least <= usable && tenants.withinReservation(t, least)) {
        return false; // it may fit off the reserved site, in the spare GPUs, or start within its reservation
      }
      most = Math.max(most, usable);
    }
    return !queue.mayHaveAtMost(most, r.timeSeconds - k.now) && noTenantCanReclaim(free);
  }

  /** Free GPUs on the sites of {@code sites}. O(sites). */
  private int freeOn(long sites) {
    int free = 0;
    for (long m = sites; m != 0; m &= m - 1) {
      free += state.siteFreeGpus(Long.numberOfTrailingZeros(m));
    }
    return free;
  }

  /** How many times {@link #restCannotStart} or {@link #restCannotBackfill} said yes (a policy stops at the first). */
  long walksStopped() {
    return walksStopped;
  }

  /** Whether no tenant's smallest pending job could reclaim now. O(tenants²). */
  private boolean noTenantCanReclaim(int free) {
    for (int t = 0; t < tenants.count(); t++) {
      int smallest = queue.smallestGpusAtLeast(t);
      if (smallest <= tenants.headroom(t) && tenants.withinReservation(t, smallest)
          && smallest < reclaimFailedAtLeast[t] && free + tenants.borrowedByOthers(t) >= smallest) {
        return false;
      }
    }
    return true;
  }

  /** Test switch: true makes {@link #restCannotStart} always false, as in a kernel that keeps reasons. */
  void walkWholeQueue(boolean whole) {
    this.wholeQueue = whole;
  }

  /** Forgets this pass's failures. O(site sets seen), a handful. */
  void resetPassMemo() {
    changes++;
    for (int[][] m : failedAtLeast.values()) {
      for (int[] row : m) {
        Arrays.fill(row, Integer.MAX_VALUE);
      }
    }
    if (reclaimFailedAtLeast.length != tenants.count()) {
      reclaimFailedAtLeast = new int[tenants.count()];
    }
    Arrays.fill(reclaimFailedAtLeast, Integer.MAX_VALUE);
  }
}
