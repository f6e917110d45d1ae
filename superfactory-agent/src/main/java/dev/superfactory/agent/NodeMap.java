package dev.superfactory.agent;

import dev.superfactory.input.ConfigNode;
import dev.superfactory.input.YamlDocuments;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which cluster nodes hold which GPUs of the fleet model's scale-up domains on one site (issue 12
 * item 1), read from a YAML file (JSON is YAML too) with {@code file:line: field: problem} errors:
 *
 * <pre>
 * site: wisconsin
 * nodes:                        # one node at a time
 *   - {node: wisconsin-n1, domain: 0, gpus: 8}
 * ranges:                       # or many: filled into domains firstDomain, firstDomain + 1, … in order
 *   - {nodes: "wisconsin-n[2-9]", gpusPerNode: 4, firstDomain: 1, gpusPerDomain: 8}
 * </pre>
 *
 * {@code domain} is the fleet's global domain index, as {@code GET /v1/fleet} shows it. The map is
 * checked against nothing but itself (the agent does not load the scenario): node names unique,
 * GPUs &gt; 0, a range's domain size a multiple of its node size. {@link #pick} turns a placement
 * into nodes. Cost: O(nodes of the map) per pick.
 */
public final class NodeMap {

    private static final Pattern RANGE = Pattern.compile("([^\\[\\]]*)\\[(\\d+)-(\\d+)\\]([^\\[\\]]*)");

    private final String site;
    private final List<Node> nodes;
    private final Map<Integer, List<Node>> byDomain = new HashMap<>();

    /** One node: its cluster name, the fleet domain its GPUs belong to, and how many it has. */
    public record Node(String name, int domain, int gpus) {
    }

    /** The outcome of a pick: the nodes with their GPUs in rank order, or why there are none. */
    public record Pick(List<ShardLaunch.NodeGpus> nodes, String failure) {

        static Pick failed(String failure) {
            return new Pick(List.of(), failure);
        }

        public boolean ok() {
            return failure == null;
        }
    }

    public NodeMap(String site, List<Node> nodes) {
        this.site = site;
        this.nodes = List.copyOf(nodes);
        for (Node n : this.nodes) {
            byDomain.computeIfAbsent(n.domain(), d -> new ArrayList<>()).add(n);
        }
    }

    public String site() {
        return site;
    }

    public List<Node> nodes() {
        return nodes;
    }

    /**
     * The node's first GPU within its domain: the GPUs of the nodes before it in the map's order of
     * that domain (a node's GPUs in the fleet model are [offset, offset + gpus) of the domain).
     * O(nodes of the domain).
     */
    public int offsetOf(Node node) {
        int offset = 0;
        for (Node n : byDomain.getOrDefault(node.domain(), List.of())) {
            if (n.name().equals(node.name())) {
                return offset;
            }
            offset += n.gpus();
        }
        throw new IllegalArgumentException("node " + node.name() + " is not in the node map of site " + site);
    }

    /** GPUs the map gives domain {@code domain} (0 if none). */
    public int gpusIn(int domain) {
        return byDomain.getOrDefault(domain, List.of()).stream().mapToInt(Node::gpus).sum();
    }

    /** Reads a node map file; errors are {@link dev.superfactory.input.InputException}s naming file, line and field. */
    public static NodeMap read(Path file) {
        return of(YamlDocuments.read(file));
    }

    /** Parses node map text; {@code source} names it in errors. */
    public static NodeMap parse(String text, String source) {
        return of(YamlDocuments.parse(text, source));
    }

    private static NodeMap of(ConfigNode root) {
        root.requireMap().allowOnly("site", "nodes", "ranges");
        String site = root.string("site");
        List<Node> nodes = new ArrayList<>();
        Map<String, ConfigNode> seen = new LinkedHashMap<>();
        for (ConfigNode n : root.list("nodes")) {
            n.requireMap().allowOnly("node", "domain", "gpus");
            add(nodes, seen, n, new Node(n.string("node"), domain(n, "domain"), n.positiveInt("gpus")));
        }
        for (ConfigNode r : root.list("ranges")) {
            range(r, nodes, seen);
        }
        if (nodes.isEmpty()) {
            throw root.error("nodes", "the map has no nodes: give nodes or ranges");
        }
        return new NodeMap(site, nodes);
    }

    private static void range(ConfigNode r, List<Node> nodes, Map<String, ConfigNode> seen) {
        r.requireMap().allowOnly("nodes", "gpusPerNode", "firstDomain", "gpusPerDomain");
        int perNode = r.positiveInt("gpusPerNode");
        int perDomain = r.positiveInt("gpusPerDomain", perNode);
        if (perDomain % perNode != 0) {
            throw r.error("gpusPerDomain", "must be a multiple of gpusPerNode (" + perNode + "), got " + perDomain);
        }
        int first = domain(r, "firstDomain");
        List<String> names = expand(r.get("nodes"));
        for (int i = 0; i < names.size(); i++) {
            add(nodes, seen, r, new Node(names.get(i), first + i / (perDomain / perNode), perNode));
        }
    }

    /** {@code prefix[a-b]suffix} → the names, zero-padded to a's width when a has leading zeros. */
    static List<String> expand(ConfigNode field) {
        String text = field.asString();
        Matcher m = RANGE.matcher(text);
        if (!m.matches()) {
            throw field.error("expected a node range like 'wisconsin-n[1-16]', got '" + text + "'");
        }
        long from = Long.parseLong(m.group(2));
        long to = Long.parseLong(m.group(3));
        if (to < from || to - from >= 100_000) {
            throw field.error("range [" + m.group(2) + "-" + m.group(3) + "] must go up and hold at most 100000 nodes");
        }
        String format = m.group(2).startsWith("0") && m.group(2).length() > 1 ? "%0" + m.group(2).length() + "d" : "%d";
        List<String> names = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            names.add(m.group(1) + String.format(java.util.Locale.ROOT, format, i) + m.group(4));
        }
        return names;
    }

    private static int domain(ConfigNode n, String key) {
        if (!n.has(key)) {
            throw n.error(key, "missing: the fleet's domain index, as GET /v1/fleet shows it");
        }
        return n.get(key).asNonNegativeInt();
    }

    private static void add(List<Node> nodes, Map<String, ConfigNode> seen, ConfigNode at, Node node) {
        ConfigNode before = seen.putIfAbsent(node.name(), at);
        if (before != null) {
            throw at.error("node '" + node.name() + "' is mapped twice (first at " + before.location() + ")");
        }
        nodes.add(node);
    }

    /**
     * Nodes for a placement's domains: per domain, nodes of that domain that are up and have free
     * GPUs, covering its count; whole free nodes first, then the remainder on the node that fits it
     * best (fewest free GPUs that still hold it). Never a node of another domain.
     *
     * @param domains pairs {@code [domain, gpus]} of the placement
     * @param freeGpus GPUs free on each node now (absent: all of the node's; nodes down are 0)
     */
    public Pick pick(List<int[]> domains, Map<String, Integer> freeGpus) {
        return pickParts(domains.stream().map(dc -> new Part(dc[0], dc[1], List.of())).toList(), freeGpus);
    }

    /**
     * One domain's part of a placement: its GPUs and, when the control plane sends them, exactly
     * which ({@code [offset, count]} runs within the domain; empty: any {@code gpus} of it).
     */
    public record Part(int domain, int gpus, List<int[]> ranges) {
        public Part {
            ranges = List.copyOf(ranges);
        }
    }

    /**
     * Nodes for a placement. A part with ranges takes exactly the nodes whose GPUs ({@link
     * #offsetOf}) the ranges cover, each for the GPUs covered: the shard runs on the GPUs the
     * kernel holds for it, so a node reported down later maps back to this run's GPUs. It fails if
     * a covered node is down or held (its free GPUs fall short) or a range runs past the domain's
     * mapped GPUs. A part without ranges picks as {@link #pick} does.
     */
    public Pick pickParts(List<Part> parts, Map<String, Integer> freeGpus) {
        List<ShardLaunch.NodeGpus> picked = new ArrayList<>();
        Map<String, Integer> free = new HashMap<>(freeGpus);
        for (Part part : parts) {
            String failure = part.ranges().isEmpty() ? pickAny(part.domain(), part.gpus(), free, picked)
                    : pickExact(part, free, picked);
            if (failure != null) {
                return Pick.failed(failure);
            }
        }
        return new Pick(picked, null);
    }

    private String pickExact(Part part, Map<String, Integer> free, List<ShardLaunch.NodeGpus> picked) {
        List<Node> candidates = byDomain.getOrDefault(part.domain(), List.of());
        int covered = 0;
        for (int[] range : part.ranges()) {
            covered += range[1];
            if (range[0] < 0 || range[1] <= 0 || range[0] + range[1] > gpusIn(part.domain())) {
                return "domain " + part.domain() + "'s GPUs [" + range[0] + ", " + (range[0] + range[1])
                        + ") are not all in the node map of site " + site + " (it maps " + gpusIn(part.domain())
                        + " GPUs of that domain)";
            }
        }
        if (covered != part.gpus()) {
            return "domain " + part.domain() + ": the placement's ranges cover " + covered + " GPUs, not its " + part.gpus();
        }
        int offset = 0;
        for (Node n : candidates) {
            int inNode = 0;
            for (int[] range : part.ranges()) {
                inNode += Math.max(0, Math.min(offset + n.gpus(), range[0] + range[1]) - Math.max(offset, range[0]));
            }
            offset += n.gpus();
            if (inNode == 0) {
                continue;
            }
            int f = free.getOrDefault(n.name(), n.gpus());
            if (f < inNode) {
                return "node " + n.name() + " (GPUs [" + (offset - n.gpus()) + ", " + offset + ") of domain " + part.domain()
                        + ") must give the placement " + inNode + " GPUs but has " + f + " free (down, or held by another shard)";
            }
            take(n, inNode, 0, free, picked);
        }
        return null;
    }

    private String pickAny(int domain, int gpus, Map<String, Integer> free, List<ShardLaunch.NodeGpus> picked) {
        List<Node> candidates = byDomain.getOrDefault(domain, List.of());
        if (candidates.isEmpty()) {
            return "domain " + domain + " has no nodes in the node map of site " + site;
        }
        int available = candidates.stream().mapToInt(n -> free.getOrDefault(n.name(), n.gpus())).sum();
        if (available < gpus) {
            return "domain " + domain + " needs " + gpus + " GPUs but its nodes up and free hold "
                    + available + " (nodes " + candidates.stream().map(Node::name).toList() + ")";
        }
        takeRemainder(candidates, takeWholeNodes(candidates, gpus, free, picked), free, picked);
        return null;
    }

    private static int takeWholeNodes(List<Node> candidates, int count, Map<String, Integer> free,
                                      List<ShardLaunch.NodeGpus> picked) {
        int remaining = count;
        for (Node n : candidates) {
            int f = free.getOrDefault(n.name(), n.gpus());
            if (f == n.gpus() && f <= remaining) {
                picked.add(new ShardLaunch.NodeGpus(n.name(), f));
                free.put(n.name(), 0);
                remaining -= f;
            }
        }
        return remaining;
    }

    /** The rest on the best-fitting node, else spread over nodes with free GPUs, most free first. */
    private static int takeRemainder(List<Node> candidates, int remaining, Map<String, Integer> free,
                                     List<ShardLaunch.NodeGpus> picked) {
        List<Node> open = new ArrayList<>(candidates.stream().filter(n -> free.getOrDefault(n.name(), n.gpus()) > 0).toList());
        open.sort(java.util.Comparator.comparingInt(n -> free.getOrDefault(n.name(), n.gpus())));
        for (Node n : open) {
            int f = free.getOrDefault(n.name(), n.gpus());
            if (remaining > 0 && f >= remaining) {
                return take(n, remaining, remaining, free, picked);
            }
        }
        for (int i = open.size() - 1; i >= 0 && remaining > 0; i--) {
            Node n = open.get(i);
            remaining = take(n, Math.min(remaining, free.getOrDefault(n.name(), n.gpus())), remaining, free, picked);
        }
        return remaining;
    }

    private static int take(Node n, int gpus, int remaining, Map<String, Integer> free, List<ShardLaunch.NodeGpus> picked) {
        picked.add(new ShardLaunch.NodeGpus(n.name(), gpus));
        free.put(n.name(), free.getOrDefault(n.name(), n.gpus()) - gpus);
        return remaining - gpus;
    }

    /**
     * Checks the map against the site's domains ({@code [firstDomain, count, gpusPerDomain]} runs,
     * as the control plane gives them): every node in a domain of the site, no domain given more
     * GPUs than it has. Null if it fits, else the first problem, naming the node or domain.
     * O(nodes + runs).
     */
    public String misfit(List<int[]> siteDomains) {
        if (siteDomains.isEmpty()) {
            return null; // a control plane older than the field says nothing to check against
        }
        for (Node n : nodes) {
            int[] run = runOf(siteDomains, n.domain());
            if (run == null) {
                return "node " + n.name() + ": domain " + n.domain() + " is not a domain of site " + site + " (its domains are "
                        + String.join(", ", siteDomains.stream().map(r -> r[0] + "–" + (r[0] + r[1] - 1)).toList()) + ")";
            }
            if (gpusIn(n.domain()) > run[2]) {
                return "domain " + n.domain() + ": the map gives it " + gpusIn(n.domain()) + " GPUs, but it has " + run[2];
            }
        }
        return null;
    }

    /**
     * The site's GPUs no node of the map holds, per domain {@code [domain, offset, gpus]} (the
     * domain's GPUs past its mapped ones): capacity the agent cannot run shards on. O(site domains).
     */
    public List<int[]> unmapped(List<int[]> siteDomains) {
        List<int[]> out = new ArrayList<>();
        for (int[] run : siteDomains) {
            for (int d = run[0]; d < run[0] + run[1]; d++) {
                int mapped = gpusIn(d);
                if (mapped < run[2]) {
                    out.add(new int[] {d, mapped, run[2] - mapped});
                }
            }
        }
        return out;
    }

    private static int[] runOf(List<int[]> siteDomains, int domain) {
        for (int[] run : siteDomains) {
            if (domain >= run[0] && domain < run[0] + run[1]) {
                return run;
            }
        }
        return null;
    }

    /** Every node name of the map. */
    public Set<String> names() {
        Set<String> names = new java.util.LinkedHashSet<>();
        nodes.forEach(n -> names.add(n.name()));
        return names;
    }
}
