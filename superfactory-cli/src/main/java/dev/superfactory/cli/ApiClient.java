package dev.superfactory.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.superfactory.input.InputException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The client commands' connection to a running {@code serve}: {@code --url} / {@code --token}, or
 * {@code SUPERFACTORY_URL} / {@code SUPERFACTORY_TOKEN}. Requests go through java.net.http; a
 * problem detail (RFC 9457) from the server and an unreachable server both become one
 * {@link InputException} line (exit 2). Cost: one HTTP/1.1 round trip per call.
 */
final class ApiClient {
  static final String DEFAULT_URL = "http://127.0.0.1:8080";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  @Option(names = "--url", paramLabel = "URL",
      description = "The server. Default: $SUPERFACTORY_URL, else " + DEFAULT_URL + ".")
  String url;

  @Option(names = "--token", paramLabel = "TOKEN",
      description = "The API token. Default: $SUPERFACTORY_TOKEN.")
  String token;

  /** A response: its HTTP status and JSON body. */
  record Response(int status, JsonNode body) {
  }

  Response get(String path) {
    return send(request(path).GET());
  }

  Response post(String path, JsonNode body) {
    return send(request(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
  }

  private String baseUrl() {
    String base = url != null ? url : System.getenv().getOrDefault("SUPERFACTORY_URL", DEFAULT_URL);
    return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }

  private HttpRequest.Builder request(String path) {
    String secret = token != null ? token : System.getenv("SUPERFACTORY_TOKEN");
    if (secret == null || secret.isBlank()) {
      throw new InputException("--token: no token; give --token or set SUPERFACTORY_TOKEN"
          + " (create one with 'superfactory token create --tenant NAME')");
    }
    URI uri;
    try {
      uri = URI.create(baseUrl() + path);
    } catch (IllegalArgumentException e) {
      throw new InputException("--url: '" + baseUrl() + "' is not a URL (" + e.getMessage() + ")", e);
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      throw new InputException("--url: '" + baseUrl() + "' is not an http:// or https:// URL");
    }
    return HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Authorization", "Bearer " + secret.trim());
  }

  private Response send(HttpRequest.Builder request) {
    HttpResponse<String> response;
    try {
      response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      throw new InputException("cannot reach the server at " + baseUrl() + ": connection refused"
          + " (is 'superfactory serve' running? set --url or SUPERFACTORY_URL)", e);
    } catch (IOException e) {
      throw new InputException("cannot reach the server at " + baseUrl() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InputException("interrupted while waiting for " + baseUrl(), e);
    }
    JsonNode body = parse(response);
    if (response.statusCode() >= 400) {
      throw new InputException(problem(response.statusCode(), body));
    }
    return new Response(response.statusCode(), body);
  }

  private JsonNode parse(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (JsonProcessingException e) {
      throw new InputException(baseUrl() + " answered HTTP " + response.statusCode()
          + " with a body that is not JSON; is it a superfactory server?", e);
    }
  }

  /** "the token is unknown, expired or revoked (HTTP 401 Unauthorized)", with the field first if named. */
  private static String problem(int status, JsonNode body) {
    String detail = body.path("detail").asText("no detail");
    String field = body.path("field").asText("");
    String title = body.path("title").asText("");
    return (field.isEmpty() ? "" : field + ": ") + detail + " (HTTP " + status + (title.isEmpty() ? "" : " " + title) + ")";
  }
}
