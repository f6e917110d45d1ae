package dev.superfactory.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.Set;

/**
 * The tenant-independent part of a submitted job, validated: a gang of {@code gpus} GPUs in
 * scale-up groups of {@code scaleUpGroup} (the kernel's {@code JobRequest}), whether it may span
 * sites, its declared run time {@code expectedSeconds} (what the scheduler plans with) and its
 * true run time {@code durationSeconds} (what the simulated executor runs; either one defaults to
 * the other). The client id is not part of the spec: it is the idempotency key.
 *
 * <p>ASSUMPTION: bounds that keep every value far inside the kernel's int/long arithmetic: at most
 * 1,048,576 GPUs (about 10× the largest fleet in DESIGN.md) and at most 10 years of run time.
 * Cost: one pass over the body's fields.
 */
public record JobSpec(int gpus, int scaleUpGroup, boolean spanSites, long expectedSeconds, long durationSeconds) {

    static final int MAX_GPUS = 1 << 20;
    static final long MAX_SECONDS = 10L * 365 * 24 * 3600;
    private static final Set<String> FIELDS =
            Set.of("gpus", "scaleUpGroup", "spanSites", "expectedSeconds", "durationSeconds", "clientId");

    public JobSpec {
        if (gpus % scaleUpGroup != 0) {
            throw ApiException.badRequest("gpus", "gpus=" + gpus + " is not a multiple of scaleUpGroup=" + scaleUpGroup);
        }
    }

    /** The spec and the optional client id of a submit body (a JSON object). */
    record Submitted(JobSpec spec, Optional<String> clientId) {
    }

    static Submitted parse(JsonNode body) {
        if (!body.isObject()) {
            throw ApiException.badRequest(null, "the job is a JSON " + Fields.typeName(body) + ", not an object");
        }
        body.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                throw ApiException.badRequest(name, "unknown field '" + name + "'; the fields are " + new java.util.TreeSet<>(FIELDS));
            }
        });
        int gpus = Fields.integer(body, "gpus", 1, MAX_GPUS).orElseThrow(() -> Fields.missing("gpus")).intValue();
        int group = Fields.integer(body, "scaleUpGroup", 1, MAX_GPUS).orElseThrow(() -> Fields.missing("scaleUpGroup")).intValue();
        boolean span = Fields.bool(body, "spanSites").orElseThrow(() -> Fields.missing("spanSites"));
        Optional<Long> expected = Fields.integer(body, "expectedSeconds", 1, MAX_SECONDS);
        Optional<Long> duration = Fields.integer(body, "durationSeconds", 1, MAX_SECONDS);
        if (expected.isEmpty() && duration.isEmpty()) {
            throw ApiException.badRequest("durationSeconds", "give durationSeconds or expectedSeconds (or both)");
        }
        JobSpec spec = new JobSpec(gpus, group, span, expected.orElseGet(duration::get), duration.orElseGet(expected::get));
        return new Submitted(spec, Fields.text(body, "clientId", 200));
    }

    /** The spec as stored (a JSON object with every field), without the client id. */
    ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("gpus", gpus);
        node.put("scaleUpGroup", scaleUpGroup);
        node.put("spanSites", spanSites);
        node.put("expectedSeconds", expectedSeconds);
        node.put("durationSeconds", durationSeconds);
        return node;
    }
}
