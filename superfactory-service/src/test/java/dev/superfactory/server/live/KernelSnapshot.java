package dev.superfactory.server.live;

import dev.superfactory.sched.Scheduler;
import java.util.ArrayList;
import java.util.List;

/** The kernel's state as text: pending jobs in queue order with reasons, running jobs with their GPUs, free GPUs, cordoned domains. */
final class KernelSnapshot {

    private KernelSnapshot() {
    }

    static String of(Scheduler kernel) {
        kernel.checkInvariants();
        List<String> lines = new ArrayList<>();
        kernel.forEachPending(job -> lines.add("pending " + job + " " + kernel.pendingReason(job)));
        List<Long> running = new ArrayList<>();
        kernel.forEachRunning(running::add);
        running.sort(null);
        running.forEach(job -> lines.add("running " + job + " " + kernel.state(job) + " " + kernel.allocation(job)));
        lines.add("free " + kernel.fleetState().freeGpus() + " down " + kernel.fleetState().downGpus());
        for (int d = 0; d < kernel.fleetState().fleet().domainCount(); d++) {
            if (kernel.domainCordonedGpus(d) > 0) {
                lines.add("domain " + d + " cordoned " + kernel.domainCordonedGpus(d));
            }
        }
        for (int t = 0; t < kernel.tenantCount(); t++) {
            lines.add("tenant " + t + " holds " + kernel.tenantGpus(t));
        }
        return String.join("\n", lines);
    }
}
