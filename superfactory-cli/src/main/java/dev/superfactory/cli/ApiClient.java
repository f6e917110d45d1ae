package dev.superfactory.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.superfactory.input.InputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The client commands' connection to a running {@code serve}. URL and token each come from the
 * first that sets them: {@code --url} / {@code --token}, {@code SUPERFACTORY_URL} /
 * {@code SUPERFACTORY_TOKEN}, the config file ({@link ClientConfig}: {@code --config},
 * {@code --profile}), else the default URL (a token has no default). The file is read only if a
 * flag or variable leaves something unset. Requests go through java.net.http; a
 * problem detail (RFC 9457) from the server and an unreachable server both become one
 * {@link InputException} line (exit 2). Cost: one HTTP/1.1 round trip per call.
 */
final class ApiClient {
  static final String DEFAULT_URL = "http://127.0.0.1:8080";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  @Option(names = "--url", paramLabel = "URL",
      description = "The server. Default: $SUPERFACTORY_URL, else the config file's url, else " + DEFAULT_URL + ".")
  String url;

  @Option(names = "--token", paramLabel = "TOKEN",
      description = "The API token. Default: $SUPERFACTORY_TOKEN, else the config file's token.")
  String token;

  @Option(names = "--config", paramLabel = "FILE",
      description = "The client config file (url:, token:, profiles:). Default: $SUPERFACTORY_CONFIG, else"
          + " $XDG_CONFIG_HOME/superfactory/client.yaml (~/.config if unset).")
  Path config;

  @Option(names = "--profile", paramLabel = "NAME",
      description = "A profile of the config file (profiles: {NAME: {url:, token:}}). Default: $SUPERFACTORY_PROFILE.")
  String profile;

  @Spec(Spec.Target.MIXEE) CommandSpec mixee;

  /** URL and token once resolved; null before the first request. */
  private Connection connection;

  /** Where requests go, with the token, and where each came from (for messages). */
  record Connection(ClientConfig.Setting url, ClientConfig.Setting token) {
  }

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
    String base = connection().url().value();
    return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }

  private Connection connection() {
    if (connection == null) {
      connection = resolve(((Main) mixee.root().userObject()).env, mixee.commandLine().getErr());
    }
    return connection;
  }

  /**
   * URL and token by precedence (flag, variable, config file, default); warnings go to {@code err}.
   * An explicit {@code --profile} passes over the variables, so a profile's token is never sent to a
   * URL from the environment (flags still win).
   */
  Connection resolve(Map<String, String> env, PrintWriter err) {
    Map<String, String> variables = profile != null ? Map.of() : env;
    Optional<ClientConfig.Setting> flagUrl = setting(url, "--url")
        .or(() -> setting(variables.get("SUPERFACTORY_URL"), "SUPERFACTORY_URL"));
    Optional<ClientConfig.Setting> flagToken = setting(token, "--token")
        .or(() -> setting(variables.get("SUPERFACTORY_TOKEN"), "SUPERFACTORY_TOKEN"));
    String chosenProfile = profile != null ? profile : env.get(ClientConfig.PROFILE_ENV);
    ClientConfig.Entry file = ClientConfig.Entry.NONE;
    if (flagUrl.isEmpty() || flagToken.isEmpty() || profile != null) {
      boolean named = config != null || env.get(ClientConfig.FILE_ENV) != null || chosenProfile != null;
      file = ClientConfig.read(ClientConfig.path(config, env), chosenProfile, named, err);
    }
    ClientConfig.Setting base = flagUrl.or(file::url).orElse(new ClientConfig.Setting(DEFAULT_URL, "the default URL"));
    ClientConfig.Setting secret = flagToken.or(file::token).orElseThrow(() -> new InputException(
        "--token: no token; give --token, set SUPERFACTORY_TOKEN or put 'token:' in " + ClientConfig.path(config, env)
            + " (create one with 'superfactory token create --tenant NAME --save')"));
    checkUrl(base);
    return new Connection(base, secret);
  }

  private static Optional<ClientConfig.Setting> setting(String value, String source) {
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(new ClientConfig.Setting(value.trim(), source));
  }

  private static void checkUrl(ClientConfig.Setting base) {
    URI uri;
    try {
      uri = URI.create(base.value());
    } catch (IllegalArgumentException e) {
      throw new InputException(base.source() + ": '" + base.value() + "' is not a URL (" + e.getMessage() + ")", e);
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      throw new InputException(base.source() + ": '" + base.value() + "' is not an http:// or https:// URL");
    }
  }

  private HttpRequest.Builder request(String path) {
    String secret = connection().token().value();
    URI uri;
    try {
      uri = URI.create(baseUrl() + path);
    } catch (IllegalArgumentException e) {
      throw new InputException(connection().url().source() + ": '" + baseUrl() + "' is not a URL (" + e.getMessage() + ")", e);
    }
    return HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Authorization", "Bearer " + secret);
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
