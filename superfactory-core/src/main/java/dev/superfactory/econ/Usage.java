package dev.superfactory.econ;

/**
 * GPU-seconds used over a measured window, as the economics model needs them: per quarter, per
 * tenant, per site; and per quarter and tenant the part within its reservation and the part
 * borrowed beyond it. Filled by the simulation from its metrics.
 *
 * @param windowSeconds length of the window
 * @param byQuarterTenantSite [quarter][tenant][site] GPU-seconds
 * @param withinByQuarterTenant [quarter][tenant] GPU-seconds within the reservation
 * @param borrowedByQuarterTenant [quarter][tenant] GPU-seconds beyond the reservation
 */
public record Usage(
    long windowSeconds, long[][][] byQuarterTenantSite, long[][] withinByQuarterTenant,
    long[][] borrowedByQuarterTenant) {}
