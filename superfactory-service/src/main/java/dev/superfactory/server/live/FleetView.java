package dev.superfactory.server.live;

import dev.superfactory.fleet.BlockGroup;
import dev.superfactory.fleet.Fleet;
import dev.superfactory.fleet.FleetState;
import dev.superfactory.sched.Scheduler;
import it.unimi.dsi.fastutil.ints.IntSet;
import java.util.ArrayList;
import java.util.List;

/**
 * The fleet as the live kernel sees it (issue 11 item 3, Fleet): each site with its GPUs, free,
 * allocated and down, and each block with its domains' free and down GPUs and whether the
 * operator drained or cordoned them. At every level free + allocated + down = GPUs: a GPU a job
 * holds counts as allocated even when out of service (a cordoned domain's running jobs), and down
 * counts the GPUs out of service that no job holds (failed, drained, a silent site's, or cordoned
 * and released). Built on the scheduler thread in O(domains × words of a domain); for the 4,704 NVL72
 * domains of fairwater, about a millisecond.
 */
public record FleetView(int gpus, int free, int allocated, int down, List<SiteView> sites) {

    public record SiteView(String name, int gpus, int free, int allocated, int down, List<BlockView> blocks) {
    }

    /** A block (scale-out unit): its name (the block group's, with the block's number in it) and domains. */
    public record BlockView(String name, String gpu, int firstDomain, List<DomainView> domains) {
    }

    /** A scale-up domain by its fleet-wide index, the number drain and restore take. */
    public record DomainView(int domain, int gpus, int free, int down, boolean drained, boolean cordoned) {
    }

    static FleetView of(Scheduler kernel, IntSet drained) {
        FleetState state = kernel.fleetState();
        Fleet fleet = state.fleet();
        List<SiteView> sites = new ArrayList<>();
        int block = 0;
        int totalDown = 0;
        for (int s = 0; s < fleet.siteCount(); s++) {
            List<BlockView> blocks = new ArrayList<>();
            int siteDown = 0;
            for (BlockGroup group : fleet.site(s).groups()) {
                for (int b = 0; b < group.blocks(); b++, block++) {
                    int first = fleet.blockFirstDomain(block);
                    List<DomainView> domains = new ArrayList<>();
                    for (int d = first; d < first + fleet.blockDomainCount(block); d++) {
                        int down = down(kernel, fleet, d);
                        siteDown += down;
                        domains.add(new DomainView(d, fleet.domainSize(d), state.domainFreeGpus(d), down,
                                drained.contains(d), kernel.domainCordonedGpus(d) > 0));
                    }
                    blocks.add(new BlockView(group.name() + "-" + (b + 1), group.gpu().name(), first, domains));
                }
            }
            int siteFree = state.siteFreeGpus(s);
            sites.add(new SiteView(fleet.site(s).name(), fleet.siteGpus(s), siteFree,
                    fleet.siteGpus(s) - siteFree - siteDown, siteDown, blocks));
            totalDown += siteDown;
        }
        return new FleetView(fleet.totalGpus(), state.freeGpus(), fleet.totalGpus() - state.freeGpus() - totalDown,
                totalDown, sites);
    }

    /** GPUs of domain {@code d} out of service that no job holds. O(words of the domain's bit sets). */
    private static int down(Scheduler kernel, Fleet fleet, int d) {
        return kernel.fleetState().domainDownUnheldGpus(d);
    }
}
