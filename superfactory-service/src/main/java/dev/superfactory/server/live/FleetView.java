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
 * operator drained them. Built on the scheduler thread in O(domains); for the 4,704 NVL72 domains
 * of fairwater, about a millisecond.
 */
public record FleetView(int gpus, int free, int allocated, int down, List<SiteView> sites) {

    public record SiteView(String name, int gpus, int free, int allocated, int down, List<BlockView> blocks) {
    }

    /** A block (scale-out unit): its name (the block group's, with the block's number in it) and domains. */
    public record BlockView(String name, String gpu, int firstDomain, List<DomainView> domains) {
    }

    /** A scale-up domain by its fleet-wide index, the number drain and restore take. */
    public record DomainView(int domain, int gpus, int free, int down, boolean drained) {
    }

    static FleetView of(Scheduler kernel, IntSet drained) {
        FleetState state = kernel.fleetState();
        Fleet fleet = state.fleet();
        List<SiteView> sites = new ArrayList<>();
        int block = 0;
        for (int s = 0; s < fleet.siteCount(); s++) {
            List<BlockView> blocks = new ArrayList<>();
            int siteDown = state.siteDownGpus(s);
            for (BlockGroup group : fleet.site(s).groups()) {
                for (int b = 0; b < group.blocks(); b++, block++) {
                    int first = fleet.blockFirstDomain(block);
                    List<DomainView> domains = new ArrayList<>();
                    for (int d = first; d < first + fleet.blockDomainCount(block); d++) {
                        domains.add(new DomainView(d, fleet.domainSize(d), state.domainFreeGpus(d), down(state, fleet, d),
                                drained.contains(d)));
                    }
                    blocks.add(new BlockView(group.name() + "-" + (b + 1), group.gpu().name(), first, domains));
                }
            }
            int siteFree = state.siteFreeGpus(s);
            sites.add(new SiteView(fleet.site(s).name(), fleet.siteGpus(s), siteFree,
                    fleet.siteGpus(s) - siteFree - siteDown, siteDown, blocks));
        }
        return new FleetView(fleet.totalGpus(), state.freeGpus(), state.allocatedGpus(), state.downGpus(), sites);
    }

    private static int down(FleetState state, Fleet fleet, int d) {
        int down = 0;
        int first = fleet.domainFirstGpu(d);
        for (int gpu = first; gpu < first + fleet.domainSize(d); gpu++) {
            down += state.isDown(gpu) ? 1 : 0;
        }
        return down;
    }
}
