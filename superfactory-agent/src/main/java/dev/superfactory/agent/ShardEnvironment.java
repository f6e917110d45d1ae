package dev.superfactory.agent;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The environment of a shard: what a distributed training launcher (torchrun and the like) needs
 * to join the run's one gang across its sites (issue 12 item 2). Ranks are laid out site by site
 * in the order of the command's {@code sites}, and within a site node by node in the order of the
 * shard's nodes, GPU by GPU:
 *
 * <ul>
 *   <li>{@code SF_RUN}, {@code SF_JOB}, {@code SF_TENANT}, {@code SF_SITE};
 *   <li>{@code SF_WORLD_SIZE}: the run's GPUs on all its sites; {@code SF_RANK_BASE}: the GPUs of
 *       the sites before this one (this site's first global rank); {@code SF_SITE_GPUS};
 *   <li>{@code SF_NODES} and {@code SF_GPUS_PER_NODE}: the shard's nodes and GPUs on each, comma
 *       separated, in rank order; {@code SF_NODE_RANK_BASES}: each node's first global rank;
 *   <li>{@code SF_RENDEZVOUS_SITE} and {@code SF_RENDEZVOUS_SHARD}: the first site of the run and
 *       its shard's name; {@code SF_RENDEZVOUS_HOST} (this site is the first: its first node) and
 *       {@code SF_RENDEZVOUS_PORT}. ASSUMPTION: the rendezvous is the first node of the first
 *       site; an agent of another site does not know that node's name (it is chosen by the other
 *       site's agent), so there {@code SF_RENDEZVOUS_HOST} is absent and the launcher resolves the
 *       first site's shard by name (a DNS name or a shared store the sites agree on);
 *   <li>{@code SF_CHECKPOINT_DIR} ({@code <root>/<tenant>/<job>}, shared by the job's runs),
 *       {@code SF_RESUME_SECONDS} (work saved by earlier runs: resume from there);
 *   <li>{@code SF_NOTICE_SIGNAL} and {@code SF_NOTICE_GRACE_SECONDS}: a stop first sends this
 *       signal, and kills once the grace has passed.
 * </ul>
 * Cost: O(nodes + sites) per shard.
 */
final class ShardEnvironment {

    static final int RENDEZVOUS_PORT = 29500;

    private final String site;
    private final AgentRunner.Settings settings;

    ShardEnvironment(String site, AgentRunner.Settings settings) {
        this.site = site;
        this.settings = settings;
    }

    /** The environment of run {@code run}'s shard on this site, from its start command's payload. */
    Map<String, String> of(long run, JsonNode payload, List<ShardLaunch.NodeGpus> nodes) {
        int siteGpus = nodes.stream().mapToInt(ShardLaunch.NodeGpus::gpus).sum();
        List<String> sites = new ArrayList<>();
        payload.path("sites").forEach(s -> sites.add(s.asText()));
        String first = sites.isEmpty() ? site : sites.get(0);
        int rankBase = rankBase(payload, sites);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SF_RUN", Long.toString(run));
        env.put("SF_JOB", payload.path("job").asText());
        env.put("SF_TENANT", payload.path("tenant").asText());
        env.put("SF_SITE", site);
        env.put("SF_WORLD_SIZE", Integer.toString(payload.path("gpus").asInt(siteGpus)));
        env.put("SF_RANK_BASE", Integer.toString(rankBase));
        env.put("SF_SITE_GPUS", Integer.toString(siteGpus));
        env.put("SF_NODES", nodes.stream().map(ShardLaunch.NodeGpus::node).collect(Collectors.joining(",")));
        env.put("SF_GPUS_PER_NODE", nodes.stream().map(n -> Integer.toString(n.gpus())).collect(Collectors.joining(",")));
        env.put("SF_NODE_RANK_BASES", nodeRankBases(nodes, rankBase));
        env.put("SF_RENDEZVOUS_SITE", first);
        env.put("SF_RENDEZVOUS_SHARD", ShardLaunch.nameOf(run, first));
        if (first.equals(site)) {
            env.put("SF_RENDEZVOUS_HOST", nodes.get(0).node());
        }
        env.put("SF_RENDEZVOUS_PORT", Integer.toString(RENDEZVOUS_PORT));
        env.put("SF_CHECKPOINT_DIR", settings.checkpointRoot() + "/" + payload.path("tenant").asText() + "/"
                + payload.path("job").asText());
        env.put("SF_RESUME_SECONDS", Long.toString(payload.path("resumeSeconds").asLong(0)));
        env.put("SF_NOTICE_SIGNAL", settings.noticeSignal());
        env.put("SF_NOTICE_GRACE_SECONDS", Long.toString(settings.noticeGrace().toSeconds()));
        return env;
    }

    /** GPUs of the sites before this one, from the command's siteGpus. */
    private int rankBase(JsonNode payload, List<String> sites) {
        int base = 0;
        for (String s : sites) {
            if (s.equals(site)) {
                return base;
            }
            base += payload.path("siteGpus").path(s).asInt(0);
        }
        return base;
    }

    private static String nodeRankBases(List<ShardLaunch.NodeGpus> nodes, int rankBase) {
        List<String> bases = new ArrayList<>();
        int rank = rankBase;
        for (ShardLaunch.NodeGpus n : nodes) {
            bases.add(Integer.toString(rank));
            rank += n.gpus();
        }
        return String.join(",", bases);
    }
}
