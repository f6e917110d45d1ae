package dev.superfactory.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.superfactory.server.store.Event;
import dev.superfactory.server.store.Job;
import dev.superfactory.server.store.StoreException;
import java.util.List;

/** The records on the wire (schemas of openapi.json); times are ISO-8601 UTC strings. */
final class Wire {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Wire() {
    }

    record JobView(long id, String tenant, String clientId, String state, int version, String created,
                   String updated, JsonNode spec) {

        static JobView of(Job job) {
            return new JobView(job.id(), job.tenant(), job.clientId(), job.state().label(), job.version(),
                    job.created().toString(), job.updated().toString(), tree(job.specJson()));
        }
    }

    /** A page of jobs; {@code next} (absent on the last page) is the {@code after} of the next one. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record JobList(List<JobView> items, Long next) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record EventView(long seq, String time, String tenant, Long job, Long run, String type, JsonNode payload) {

        static EventView of(Event event) {
            return new EventView(event.seq(), event.time().toString(), event.tenant(), idOrNull(event.job()),
                    idOrNull(event.run()), event.type(), tree(event.payloadJson()));
        }

        private static Long idOrNull(long id) {
            return id == 0 ? null : id;
        }
    }

    /** Events in seq order; {@code next} is the {@code since} of the next call (the last seq seen). */
    record EventList(List<EventView> items, long next) {
    }

    /** One job of a batch submit and whether this call created it (false: it was there already). */
    record BatchItem(JobView job, boolean created) {
    }

    /** The jobs of a batch submit, in request order. */
    record BatchResult(List<BatchItem> items) {
    }

    record Health(String status) {
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new StoreException("stored JSON cannot be read: " + e.getOriginalMessage(), e);
        }
    }
}
