package dev.superfactory.server.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Reads a request body: at most {@link #MAX_BYTES}, then strict JSON (no duplicate keys, nothing
 * after the value). A longer body is refused with 413 after reading MAX_BYTES + 1 of it (Jetty
 * consumes the rest, so the client reads the answer; tested with 2 and 10 MB). Cost: one copy of
 * the body, one parse.
 */
final class Bodies {

    static final int MAX_BYTES = 1 << 20;
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    private Bodies() {
    }

    static JsonNode json(Context ctx) {
        byte[] bytes = bytes(ctx);
        if (bytes.length == 0) {
            throw ApiException.badRequest(null, "the body is empty; a JSON object is expected");
        }
        try {
            return STRICT.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest(null, "the body is not valid JSON: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(Context ctx) {
        try {
            InputStream in = ctx.req().getInputStream();
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw ApiException.tooLarge(MAX_BYTES);
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the request body", e);
        }
    }
}
