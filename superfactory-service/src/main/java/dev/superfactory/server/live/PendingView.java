package dev.superfactory.server.live;

import dev.superfactory.fleet.Fleet;
import dev.superfactory.fleet.FleetState;
import dev.superfactory.sched.PendingReason;
import dev.superfactory.sched.Scheduler;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Why a pending job waits, with the numbers behind it (issue 11 item 3): what it needs, what is
 * free on each site it may use, its tenant's use against its limit, and its place in the queue.
 * Cost: O(sites).
 *
 * @param reason the kernel's reason ({@link PendingReason} name)
 * @param message one sentence with the numbers
 * @param position 1 = the next job the queue considers
 * @param tenantPosition place among its tenant's pending jobs
 * @param freeGpus free GPUs by site
 * @param wholeFreeDomains whole free scale-up domains by site
 */
public record PendingView(String reason, String message, int position, int pending, int tenantPosition,
                          int tenantPending, int gpus, int scaleUpGroup, int tenantGpus, int tenantLimit,
                          Map<String, Integer> freeGpus, Map<String, Integer> wholeFreeDomains) {

    static PendingView of(Scheduler kernel, Fleet fleet, LiveJob j, PendingReason reason, Positions positions) {
        FleetState state = kernel.fleetState();
        Map<String, Integer> free = new LinkedHashMap<>();
        Map<String, Integer> whole = new LinkedHashMap<>();
        StringBuilder freeText = new StringBuilder();
        StringBuilder cordonText = new StringBuilder();
        for (int s = 0; s < fleet.siteCount(); s++) {
            String site = fleet.site(s).name();
            free.put(site, state.siteFreeGpus(s));
            whole.put(site, state.siteWholeFreeDomains(s));
            freeText.append(freeText.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%,d in %s",
                    state.siteFreeGpus(s), site));
            if (kernel.siteCordonedGpus(s) > 0) {
                cordonText.append(cordonText.length() == 0 ? "; cordoned (no new jobs): " : ", ")
                        .append(String.format(Locale.ROOT, "%,d in %s", kernel.siteCordonedGpus(s), site));
            }
        }
        freeText.append(cordonText);
        int tenantGpus = kernel.tenantGpus(j.request.tenant());
        int limit = kernel.tenantLimit(j.request.tenant());
        String message = String.format(Locale.ROOT, "%s: needs %,d GPUs (groups of %d, each in one scale-up domain)%s;"
                        + " free: %s; tenant %s holds %,d of its %,d-GPU limit; position %,d of %,d (%,d of %,d for %s)",
                reason.text(), j.request.gpus(), j.request.scaleUpGroup(),
                j.request.spanSites() ? ", across sites allowed" : ", on one site", freeText, j.tenant,
                tenantGpus, limit, positions.overall(j.id), positions.pending(), positions.inTenant(j.id),
                positions.pendingInTenant(j.tenant), j.tenant);
        return new PendingView(reason.name(), message, positions.overall(j.id), positions.pending(),
                positions.inTenant(j.id), positions.pendingInTenant(j.tenant), j.request.gpus(),
                j.request.scaleUpGroup(), tenantGpus, limit, free, whole);
    }
}
