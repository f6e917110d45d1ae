package dev.superfactory.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /v1/jobs/batch}, validated: {@code {"jobs": [...]}} with 1 to
 * {@link #MAX_JOBS} submit bodies, each read by {@link JobSpec#parse}. A refusal names the item
 * ({@code jobs[3].gpus}); a clientId given twice names the second one. Nothing is written before
 * every item has passed. Cost: one pass over the items and one hash insert per clientId.
 *
 * <p>ASSUMPTION: at most 1,000 jobs per batch, the page limit of the list routes; 1,000 submit
 * bodies are about 120 kB, far inside the 1 MiB body limit.
 */
record JobBatch(List<JobSpec.Submitted> jobs) {

    static final int MAX_JOBS = 1_000;
    private static final String FIELD = "jobs";

    static JobBatch parse(JsonNode body) {
        if (!body.isObject()) {
            throw ApiException.badRequest(null, "the body is a JSON " + Fields.typeName(body) + ", not an object");
        }
        body.fieldNames().forEachRemaining(name -> {
            if (!FIELD.equals(name)) {
                throw ApiException.badRequest(name, "unknown field '" + name + "'; the only field is 'jobs'");
            }
        });
        JsonNode items = body.get(FIELD);
        if (items == null) {
            throw Fields.missing(FIELD);
        }
        if (!items.isArray() || items.isEmpty() || items.size() > MAX_JOBS) {
            throw ApiException.badRequest(FIELD, "jobs must be an array of 1 to " + MAX_JOBS + " jobs, got "
                    + (items.isArray() ? items.size() + " jobs" : "a " + Fields.typeName(items)));
        }
        List<JobSpec.Submitted> jobs = new ArrayList<>(items.size());
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            JobSpec.Submitted job = item(items.get(i), i);
            int index = i;
            job.clientId().ifPresent(id -> requireFirst(seen, id, index));
            jobs.add(job);
        }
        return new JobBatch(List.copyOf(jobs));
    }

    private static JobSpec.Submitted item(JsonNode item, int index) {
        try {
            return JobSpec.parse(item);
        } catch (ApiException e) {
            throw e.at(FIELD + "[" + index + "]");
        }
    }

    private static void requireFirst(Map<String, Integer> seen, String clientId, int index) {
        Integer first = seen.putIfAbsent(clientId, index);
        if (first != null) {
            throw ApiException.badRequest("clientId", "clientId '" + clientId + "' is also the clientId of jobs["
                    + first + "]; each job of a batch needs its own").at(FIELD + "[" + index + "]");
        }
    }
}
