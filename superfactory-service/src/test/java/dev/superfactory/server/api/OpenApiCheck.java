package dev.superfactory.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Checks a response against openapi.json with Atlassian's swagger-request-validator: for every
 * test that calls the API, in any package.
 */
public final class OpenApiCheck {

    private static final OpenApiInteractionValidator VALIDATOR =
            OpenApiInteractionValidator.createForInlineApiSpecification(text()).build();

    private OpenApiCheck() {
    }

    /** The document as served. */
    public static String text() {
        try (InputStream in = ApiServer.class.getResourceAsStream("openapi.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fails unless the response conforms to the document's description of the route. */
    public static void assertConforms(String method, String pathAndQuery, int status, String contentType, String body) {
        String path = pathAndQuery.split("\\?", 2)[0];
        SimpleResponse response = SimpleResponse.Builder.status(status).withContentType(contentType).withBody(body).build();
        ValidationReport report = VALIDATOR.validateResponse(path, Request.Method.valueOf(method), response);
        assertThat(report.getMessages()).as("%s %s → %d %s", method, pathAndQuery, status, body).isEmpty();
    }
}
