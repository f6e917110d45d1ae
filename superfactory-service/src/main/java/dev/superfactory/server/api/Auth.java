package dev.superfactory.server.api;

import dev.superfactory.server.store.Principal;
import dev.superfactory.server.store.TokenStore;
import io.javalin.http.Context;
import java.util.Set;

/**
 * Bearer-token authentication of every route but the public ones: the token goes to
 * {@link TokenStore#authenticate} (one SHA-256 and one index lookup); a missing, unknown, expired
 * or revoked token is 401 with the same answer, so a caller learns nothing about which. The token
 * itself is never logged or echoed. A site agent's token is confined here to the agent routes
 * (403 elsewhere), so no other route needs to know the role.
 */
final class Auth {

    static final Set<String> PUBLIC_PATHS = Set.of("/v1/health", "/v1/openapi.json");
    private static final String ATTRIBUTE = Principal.class.getName();
    private static final String SCHEME = "Bearer ";
    /** The only routes an agent token may call (its own site's: {@link AgentRoutes} checks which). */
    private static final String AGENT_PATHS = "/v1/agents/";

    private final TokenStore tokens;

    Auth(TokenStore tokens) {
        this.tokens = tokens;
    }

    void authenticate(Context ctx) {
        if (PUBLIC_PATHS.contains(ctx.path())) {
            return;
        }
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            throw ApiException.unauthorized("send 'Authorization: Bearer <token>'");
        }
        Principal who = tokens.authenticate(header.substring(SCHEME.length()).trim())
                .orElseThrow(() -> ApiException.unauthorized("the token is unknown, expired or revoked"));
        if (who.role() == Principal.Role.AGENT && !ctx.path().startsWith(AGENT_PATHS)) {
            throw ApiException.forbidden(who.describe() + " may call only the agent routes under " + AGENT_PATHS
                    + who.site().orElseThrow() + "/");
        }
        ctx.attribute(ATTRIBUTE, who);
    }

    static Principal principal(Context ctx) {
        Principal who = ctx.attribute(ATTRIBUTE);
        if (who == null) {
            throw new IllegalStateException("route " + ctx.path() + " ran without authentication");
        }
        return who;
    }
}
