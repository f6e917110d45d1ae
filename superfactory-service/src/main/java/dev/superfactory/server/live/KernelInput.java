package dev.superfactory.server.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.superfactory.sched.JobRequest;
import dev.superfactory.sched.Scheduler;
import dev.superfactory.workload.Tenant;

/**
 * What the kernel is told, as a pass records it: the inputs of a committed pass, replayed in order
 * through a fresh kernel, rebuild its state exactly (the kernel is deterministic). Each input is a
 * short JSON array: {@code ["submit", job, tenant, gpus, group, spanSites, expectedSeconds,
 * durationSeconds]}, {@code ["cancel", job]}, {@code ["hold", job]}, {@code ["finish", job]}, {@code ["fail", job]},
 * {@code ["drain", domain]}, {@code ["restore", domain]}, {@code ["cordon", domain]},
 * {@code ["uncordon", domain]}, {@code ["site_down", site]},
 * {@code ["site_up", site]}, {@code ["node_down", firstGpu, gpus, node]}, {@code ["node_up", firstGpu, gpus, node]},
 * {@code ["wan_cut", link, site]}, {@code ["wan_restored", link, site]},
 * {@code ["contract", version, tenant, terms]}.
 */
sealed interface KernelInput {

    /** Applies the input to the kernel at time {@code t}. */
    void apply(Scheduler kernel, long t);

    /** The input as recorded. */
    ArrayNode toJson();

    record Submit(long job, String tenant, int tenantIndex, JobRequest request, long durationSeconds)
            implements KernelInput {
        @Override
        public void apply(Scheduler kernel, long t) {
            kernel.submit(job, request, t);
        }

        @Override
        public ArrayNode toJson() {
            return array("submit", job).add(tenant).add(request.gpus()).add(request.scaleUpGroup())
                    .add(request.spanSites()).add(request.expectedSeconds()).add(durationSeconds);
        }
    }

    record Cancel(long job) implements KernelInput {
        @Override
        public void apply(Scheduler kernel, long t) {
            kernel.cancel(job, t);
        }

        @Override
        public ArrayNode toJson() {
            return array("cancel", job);
        }
    }

    /**
     * Tenant {@code tenant} (kernel index {@code index}) has contract version {@code version}
     * ({@code termsJson} as stored) from now on.
     */
    record Contract(String tenant, int index, int version, String termsJson, Tenant terms) implements KernelInput {
        @Override
        public void apply(Scheduler kernel, long t) {
            kernel.changeContract(index, terms, t);
        }

        @Override
        public ArrayNode toJson() {
            ArrayNode node = array("contract", version).add(tenant);
            node.add(LiveScheduler.parse(termsJson));
            return node;
        }
    }

    /** A pending job is held: it leaves the queue (a release submits it again). */
    record Hold(long job) implements KernelInput {
        @Override
        public void apply(Scheduler kernel, long t) {
            kernel.cancel(job, t);
        }

        @Override
        public ArrayNode toJson() {
            return array("hold", job);
        }
    }

    /** Every shard of the job's run finished. */
    record Finish(long job) implements KernelInput {
        @Override
        public void apply(Scheduler kernel, long t) {
            kernel.finish(job, t);
        }

        @Override
        public ArrayNode toJson() {
            return array("finish", job);
        }
    }

    /** A shard of the job's run failed or was lost: the kernel interrupts it and recovers it at once. */
    record Fail(long job) implements KernelInput {
        @Override
        public void apply(Scheduler kernel, long t) {
            kernel.jobFailed(job, t);
            kernel.recover(job, t);
        }

        @Override
        public ArrayNode toJson() {
            return array("fail", job);
        }
    }

    /**
     * Domain {@code domain} is drained by the operator: its GPUs leave service; each job on them is
     * interrupted and recovered at once (restarted on replacement GPUs, or requeued at the front).
     */
    record Drain(int domain) implements KernelInput {
        @Override
        public void apply(Scheduler kernel, long t) {
            var fleet = kernel.fleetState().fleet();
            outage(kernel, fleet.domainFirstGpu(domain), fleet.domainSize(domain), t, true);
        }

        @Override
        public ArrayNode toJson() {
            return array("drain", domain);
        }
    }

    /**
     * Domain {@code domain} is cordoned by the operator: it takes no new job; the jobs on it run to
     * their end, and its GPUs stay out of service as they are released ({@link Scheduler#cordon}).
     */
    record Cordon(int domain) implements KernelInput {
        @Override
        public void apply(Scheduler kernel, long t) {
            var fleet = kernel.fleetState().fleet();
            kernel.cordon(fleet.domainFirstGpu(domain), fleet.domainSize(domain), t);
        }

        @Override
        public ArrayNode toJson() {
            return array("cordon", domain);
        }
    }

    /** A cordoned domain takes jobs again (a drained one stays out until restored). */
    record Uncordon(int domain) implements KernelInput {
        @Override
        public void apply(Scheduler kernel, long t) {
            var fleet = kernel.fleetState().fleet();
            kernel.uncordon(fleet.domainFirstGpu(domain), fleet.domainSize(domain), t);
        }

        @Override
        public ArrayNode toJson() {
            return array("uncordon", domain);
        }
    }

    /**
     * The agent of site {@code site} has been silent past its lease: every GPU of the site leaves
     * service and the jobs on them are recovered at once (restarted on other GPUs, or requeued).
     * O(GPUs of the site).
     */
    record SiteDown(int site) implements KernelInput {
        @Override
        public void apply(Scheduler kernel, long t) {
            var fleet = kernel.fleetState().fleet();
            outage(kernel, fleet.groupFirstGpu(fleet.siteFirstGroup(site)), fleet.siteGpus(site), t, false);
        }

        @Override
        public ArrayNode toJson() {
            return array("site_down", site);
        }
    }

    /** A silent site's agent is back: its GPUs are in service again. */
    record SiteUp(int site) implements KernelInput {
        @Override
        public void apply(Scheduler kernel, long t) {
            var fleet = kernel.fleetState().fleet();
            kernel.gpusUp(fleet.groupFirstGpu(fleet.siteFirstGroup(site)), fleet.siteGpus(site), t);
        }

        @Override
        public ArrayNode toJson() {
            return array("site_up", site);
        }
    }

    /** A drained domain is back in service. */
    record Restore(int domain) implements KernelInput {
        @Override
        public void apply(Scheduler kernel, long t) {
            var fleet = kernel.fleetState().fleet();
            kernel.gpusUp(fleet.domainFirstGpu(domain), fleet.domainSize(domain), t);
        }

        @Override
        public ArrayNode toJson() {
            return array("restore", domain);
        }
    }

    /**
     * A site's agent reports a node out (its cluster drained it, or it is down): its GPUs
     * [firstGpu, firstGpu + gpus) leave service like a failure, and the jobs on them are recovered at
     * once (restarted elsewhere, or requeued). An outage of its own: an operator's drain of the
     * same domain overlaps it. O(GPUs of the node).
     */
    record NodeDown(int firstGpu, int gpus, String node) implements KernelInput {
        @Override
        public void apply(Scheduler kernel, long t) {
            outage(kernel, firstGpu, gpus, t, false);
        }

        @Override
        public ArrayNode toJson() {
            return array("node_down", firstGpu).add(gpus).add(node);
        }
    }

    /** A node its agent reported out is back: that outage of its GPUs ends. */
    record NodeUp(int firstGpu, int gpus, String node) implements KernelInput {
        @Override
        public void apply(Scheduler kernel, long t) {
            kernel.gpusUp(firstGpu, gpus, t);
        }

        @Override
        public ArrayNode toJson() {
            return array("node_up", firstGpu).add(gpus).add(node);
        }
    }

    /**
     * The agent of site {@code site} reports WAN link {@code link} cut (it cannot reach the other
     * end): one cut of the link (each end's report counts). Gangs across it stall or shrink to one
     * site, as the scenario says ({@link Scheduler#wanCut}). O(gangs spanning sites).
     */
    record WanCut(int link, String site) implements KernelInput {
        @Override
        public void apply(Scheduler kernel, long t) {
            kernel.wanCut(link, t);
        }

        @Override
        public ArrayNode toJson() {
            return array("wan_cut", link).add(site);
        }
    }

    /**
     * Site {@code site}'s cut of WAN link {@code link} is over. Once the link is up, stalled gangs
     * resume; once every link is up, gangs shrunk by a cut are interrupted to regrow, and (live, as
     * for any failure) recovered at once: they restart across sites or requeue. Only the jobs this
     * restore interrupted are recovered: one interrupted before it, for a reason of its own, waits
     * for its own recovery. O(jobs holding GPUs) twice; restores are rare.
     */
    record WanRestored(int link, String site) implements KernelInput {
        @Override
        public void apply(Scheduler kernel, long t) {
            it.unimi.dsi.fastutil.longs.LongSet before = interrupted(kernel);
            kernel.wanRestored(link, t);
            it.unimi.dsi.fastutil.longs.LongArrayList regrow = new it.unimi.dsi.fastutil.longs.LongArrayList();
            for (long job : interrupted(kernel)) {
                if (!before.contains(job)) {
                    regrow.add(job);
                }
            }
            regrow.sort(null); // in id order, as the twin's driver does
            for (long job : regrow) {
                kernel.recover(job, t);
            }
        }

        private static it.unimi.dsi.fastutil.longs.LongSet interrupted(Scheduler kernel) {
            it.unimi.dsi.fastutil.longs.LongOpenHashSet interrupted = new it.unimi.dsi.fastutil.longs.LongOpenHashSet();
            kernel.forEachRunning(job -> {
                if (kernel.state(job) == Scheduler.JobState.INTERRUPTED) {
                    interrupted.add(job);
                }
            });
            return interrupted;
        }

        @Override
        public ArrayNode toJson() {
            return array("wan_restored", link).add(site);
        }
    }

    /**
     * GPUs [first, first + count) leave service ({@code drain}: planned); every job on them is
     * interrupted and recovered at once (restarted on replacement GPUs, or requeued at the front).
     * O(GPUs in the range).
     */
    private static void outage(Scheduler kernel, int first, int count, long t, boolean drain) {
        it.unimi.dsi.fastutil.longs.LongLinkedOpenHashSet owners = new it.unimi.dsi.fastutil.longs.LongLinkedOpenHashSet();
        for (int gpu = first; gpu < first + count; gpu++) {
            long owner = kernel.ownerOf(gpu);
            if (owner >= 0) {
                owners.add(owner);
            }
        }
        kernel.gpusDown(first, count, t, drain);
        for (long job : owners) {
            if (kernel.state(job) == Scheduler.JobState.INTERRUPTED) {
                kernel.recover(job, t);
            }
        }
    }

    private static ArrayNode array(String op, long job) {
        return JsonNodeFactory.instance.arrayNode().add(op).add(job);
    }

    /** Reads one recorded input; {@code tenants} maps a tenant name to its kernel index. */
    static KernelInput read(JsonNode in, java.util.function.ToIntFunction<String> tenants) {
        String op = in.get(0).asText();
        long job = in.get(1).asLong();
        switch (op) {
            case "submit": {
                String tenant = in.get(2).asText();
                int index = tenants.applyAsInt(tenant);
                return new Submit(job, tenant, index, new JobRequest(index, in.get(3).asInt(), in.get(4).asInt(),
                        in.get(5).asBoolean(), in.get(6).asLong()), in.get(7).asLong());
            }
            case "cancel":
                return new Cancel(job);
            case "hold":
                return new Hold(job);
            case "contract": {
                String tenant = in.get(2).asText();
                String terms = in.get(3).toString();
                return new Contract(tenant, tenants.applyAsInt(tenant), (int) job, terms,
                        LiveScheduler.tenant(tenant, terms));
            }
            case "finish":
                return new Finish(job);
            case "fail":
                return new Fail(job);
            case "drain":
                return new Drain((int) job);
            case "restore":
                return new Restore((int) job);
            case "cordon":
                return new Cordon((int) job);
            case "uncordon":
                return new Uncordon((int) job);
            case "site_down":
                return new SiteDown((int) job);
            case "site_up":
                return new SiteUp((int) job);
            case "wan_cut":
                return new WanCut((int) job, in.get(2).asText());
            case "wan_restored":
                return new WanRestored((int) job, in.get(2).asText());
            case "node_down":
                return new NodeDown((int) job, in.get(2).asInt(), in.get(3).asText());
            case "node_up":
                return new NodeUp((int) job, in.get(2).asInt(), in.get(3).asText());
            default:
                throw new IllegalStateException("unknown kernel input '" + op + "' in the event log: " + in);
        }
    }
}
