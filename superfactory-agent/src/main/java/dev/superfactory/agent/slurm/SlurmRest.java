package dev.superfactory.agent.slurm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.superfactory.agent.BackendException;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A small client of Slurm 22.05's slurmrestd, OpenAPI v0.0.38, with JWT auth (headers
 * {@code X-SLURM-USER-NAME} and {@code X-SLURM-USER-TOKEN}; the token from {@code scontrol token}).
 * Every method is one HTTP call; slurmrestd answers each by asking slurmctld, so a call costs a round trip
 * to slurmctld plus JSON parsing of the answer (the job list grows with the jobs Slurm keeps, MinJobAge).
 * Errors become {@link BackendException}s naming the call, the HTTP status and Slurm's error text.
 *
 * <p>What v0.0.38 accepts, measured on 22.05.8: a job's node list is the key {@code nodelist} (the
 * documented {@code required_nodes} is a "Disabled key"); {@code DELETE job/{id}?signal=SIG} signals every
 * process of the job, the batch script included; {@code GET jobs?update_time=T} answers 304 with no body when
 * nothing changed since T; an unknown job id and a bad token both answer 500.
 */
public final class SlurmRest {

    private static final String API = "/slurm/v0.0.38/";
    private static final int INVALID_JOB_ID = 2017;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final URI base;
    private final String user;
    private final String token;
    private final Duration timeout;

    /**
     * @param base slurmrestd's address, e.g. {@code http://127.0.0.1:6820}
     * @param user the Slurm user the token belongs to; jobs run as that user
     * @param token a JWT from {@code scontrol token username=USER}
     * @param timeout how long one call may take
     */
    public SlurmRest(URI base, String user, String token, Duration timeout) {
        if (user.isBlank() || token.isBlank()) {
            throw new IllegalArgumentException("slurmrestd needs a user and a token, got user '" + user + "'");
        }
        this.base = base;
        this.user = user;
        this.token = token;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    /** Whether slurmrestd and its slurmctld answer. */
    public void ping() throws BackendException {
        call("GET", "ping", null);
    }

    /**
     * Submits a batch job.
     *
     * @param script the batch script, starting with {@code #!}
     * @param job v0.0.38 job properties ({@code name}, {@code nodes}, {@code nodelist}, {@code gres},
     *     {@code environment}, {@code current_working_directory}, ...)
     * @return the job id
     */
    public long submit(String script, ObjectNode job) throws BackendException {
        ObjectNode body = JSON.createObjectNode();
        body.put("script", script);
        body.set("job", job);
        JsonNode answer = call("POST", "job/submit", body).orElseThrow();
        return answer.path("job_id").asLong();
    }

    /** The job with this id, empty if Slurm does not know it (never did, or forgot it after MinJobAge). */
    public Optional<SlurmJob> job(long id) throws BackendException {
        try {
            JsonNode answer = call("GET", "job/" + id, null).orElseThrow();
            List<SlurmJob> jobs = jobsOf(answer);
            return jobs.isEmpty() ? Optional.empty() : Optional.of(jobs.get(0));
        } catch (UnknownJob e) {
            return Optional.empty();
        }
    }

    /** Every job Slurm keeps (running, pending and ended within MinJobAge). */
    public List<SlurmJob> jobs() throws BackendException {
        return jobsOf(call("GET", "jobs", null).orElseThrow());
    }

    /**
     * The jobs, if any changed since {@code epochSeconds} (Slurm's {@code update_time}); empty when
     * nothing did (slurmrestd answers 304), so a poller skips the parsing.
     */
    public Optional<List<SlurmJob>> jobsChangedSince(long epochSeconds) throws BackendException {
        Optional<JsonNode> answer = call("GET", "jobs?update_time=" + epochSeconds, null);
        return answer.isEmpty() ? Optional.empty() : Optional.of(jobsOf(answer.get()));
    }

    /** Sends {@code signal} (e.g. {@code USR1}) to every process of the job, its batch script included. */
    public void signal(long id, String signal) throws BackendException {
        call("DELETE", "job/" + id + "?signal=" + URLEncoder.encode(signal, StandardCharsets.UTF_8), null);
    }

    /** Cancels the job (Slurm sends SIGTERM, then SIGKILL after KillWait); it ends CANCELLED. */
    public void cancel(long id) throws BackendException {
        call("DELETE", "job/" + id, null);
    }

    /** Every node of the cluster. */
    public List<SlurmNode> nodes() throws BackendException {
        JsonNode answer = call("GET", "nodes", null).orElseThrow();
        List<SlurmNode> nodes = new ArrayList<>();
        for (JsonNode node : answer.path("nodes")) {
            nodes.add(new SlurmNode(node.path("name").asText(), node.path("state").asText(),
                    texts(node.path("state_flags")), node.path("reason").asText(""), node.path("gres").asText("")));
        }
        return nodes;
    }

    private static List<SlurmJob> jobsOf(JsonNode answer) {
        List<SlurmJob> jobs = new ArrayList<>();
        for (JsonNode job : answer.path("jobs")) {
            String hostlist = job.path("nodes").asText("");
            jobs.add(new SlurmJob(job.path("job_id").asLong(), job.path("name").asText(),
                    job.path("job_state").asText(), Hostlist.expand(hostlist), job.path("comment").asText(""),
                    job.path("state_reason").asText(""), job.path("state_description").asText(""),
                    job.path("exit_code").asInt(), job.path("restart_cnt").asInt()));
        }
        return jobs;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }

    /** One call: the parsed answer, or empty on 304 Not Modified. */
    private Optional<JsonNode> call(String method, String path, JsonNode body) throws BackendException {
        String what = "slurmrestd " + method + " " + API + path;
        HttpResponse<String> response = send(what, request(method, path, body));
        if (response.statusCode() == 304) {
            return Optional.empty();
        }
        JsonNode answer = parse(what, response);
        JsonNode errors = answer.path("errors");
        if (response.statusCode() / 100 != 2 || !errors.isEmpty()) {
            if (hasError(errors, INVALID_JOB_ID)) {
                throw new UnknownJob(what);
            }
            throw new BackendException(what + ": HTTP " + response.statusCode() + ": " + describe(errors));
        }
        return Optional.of(answer);
    }

    private HttpRequest request(String method, String path, JsonNode body) {
        HttpRequest.BodyPublisher publisher = body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body.toString());
        return HttpRequest.newBuilder(base.resolve(API + path))
                .timeout(timeout)
                .header("X-SLURM-USER-NAME", user)
                .header("X-SLURM-USER-TOKEN", token)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .method(method, publisher)
                .build();
    }

    private HttpResponse<String> send(String what, HttpRequest request) throws BackendException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new BackendException(what + ": unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException(what + ": interrupted", e);
        }
    }

    private static JsonNode parse(String what, HttpResponse<String> response) throws BackendException {
        String text = response.body();
        if (text == null || text.isBlank()) {
            throw new BackendException(what + ": HTTP " + response.statusCode() + " with no body"
                    + (response.statusCode() == 401 ? " (no or unknown user/token)" : ""));
        }
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new BackendException(what + ": HTTP " + response.statusCode() + ", not JSON: "
                    + text.substring(0, Math.min(200, text.length())), e);
        }
    }

    private static boolean hasError(JsonNode errors, int number) {
        for (JsonNode error : errors) {
            if (error.path("error_number").asInt() == number || error.path("error_code").asInt() == number) {
                return true;
            }
        }
        return false;
    }

    /** Slurm's errors in one line: {@code error (description) [source]; ...}. */
    private static String describe(JsonNode errors) {
        if (errors.isEmpty()) {
            return "no error text";
        }
        List<String> lines = new ArrayList<>();
        for (JsonNode error : errors) {
            String line = error.path("error").asText("error");
            String description = error.path("description").asText("");
            String source = error.path("source").asText("");
            lines.add(line + (description.isEmpty() ? "" : " (" + description + ")")
                    + (source.isEmpty() ? "" : " [" + source + "]"));
        }
        return String.join("; ", lines);
    }

    /** Slurm does not know the job id: {@link #job} turns it into an empty answer. */
    private static final class UnknownJob extends BackendException {
        UnknownJob(String what) {
            super(what + ": unknown job id");
        }
    }
}
