package dev.superfactory.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem detail as sent on the wire ({@code application/problem+json}). {@code type}
 * is a relative URI naming the kind of problem (documented in openapi.json), {@code field} the
 * offending request field, query parameter or header when there is one.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String field) {

    public static final String MEDIA_TYPE = "application/problem+json";
}
