package dev.superfactory.server.api;

/**
 * A request the API refuses with a problem detail; thrown before anything is written. Cost: one
 * allocation, no stack trace (these are expected answers, not faults).
 */
final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String type;
    private final String title;
    private final String field;
    private final int retryAfterSeconds;

    private ApiException(int status, String type, String title, String detail, String field) {
        this(status, type, title, detail, field, 0);
    }

    private ApiException(int status, String type, String title, String detail, String field, int retryAfterSeconds) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.title = title;
        this.field = field;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    static ApiException badRequest(String field, String detail) {
        return new ApiException(400, "invalid-request", "Invalid request", detail, field);
    }

    static ApiException unauthorized(String detail) {
        return new ApiException(401, "unauthorized", "Missing or invalid token", detail, "Authorization");
    }

    static ApiException forbidden(String detail) {
        return new ApiException(403, "forbidden", "Not allowed for this role", detail, null);
    }

    static ApiException tooLarge(long limitBytes) {
        return new ApiException(413, "body-too-large", "Request body too large",
                "the request body exceeds " + limitBytes + " bytes", null);
    }

    static ApiException unavailable(String detail) {
        return new ApiException(503, "unavailable", "Service unavailable", detail, null, 0);
    }

    /** 503 with a {@code Retry-After} of {@code retryAfterSeconds}: a bounded resource is full. */
    static ApiException unavailable(String detail, int retryAfterSeconds) {
        return new ApiException(503, "unavailable", "Service unavailable", detail, null, retryAfterSeconds);
    }

    /** Seconds for a {@code Retry-After} header, 0 for none. */
    int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** This refusal about an item of a list: the field becomes {@code path.field} ({@code jobs[3].gpus}). */
    ApiException at(String path) {
        return new ApiException(status, type, title, path + ": " + getMessage(), field == null ? path : path + "." + field);
    }

    Problem problem() {
        return new Problem(type, title, status, getMessage(), field);
    }
}
