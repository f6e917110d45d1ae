package dev.superfactory.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TokenStoreTest extends EmbeddedDatabaseTestBase {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T00:00:00Z"));
    private TokenStore tokens;

    @BeforeEach
    void tenant() {
        new TenantStore(database.dataSource()).create("acme", "Acme");
        tokens = new TokenStore(database.dataSource(), clock);
    }

    @Test
    void aTokenAuthenticatesAsItsTenantOrAsAnOperator() {
        IssuedToken tenant = tokens.create(Principal.tenant("acme"), Duration.ofDays(30), "ci");
        IssuedToken operator = tokens.create(Principal.operator(), Duration.ofDays(30), "ops");
        assertThat(tokens.authenticate(tenant.secret())).contains(Principal.tenant("acme"));
        assertThat(tokens.authenticate(operator.secret())).contains(Principal.operator());
        assertThat(tenant.secret()).startsWith("sf_").hasSize(3 + 43).isNotEqualTo(operator.secret());
    }

    @Test
    void anAgentTokenAuthenticatesAsTheAgentOfItsSiteOnly() {
        sites("east", "west");
        IssuedToken east = tokens.create(Principal.agent("east"), Duration.ofDays(30), "agent");
        assertThat(tokens.authenticate(east.secret())).contains(Principal.agent("east"));
        assertThat(Principal.agent("east").describe()).isEqualTo("agent of site east");
        assertThat(text("SELECT role || ' ' || site || ' ' || (tenant IS NULL) FROM api_tokens")).isEqualTo("agent east true");
        assertThat(tokens.sites()).containsExactly("east", "west");
    }

    @Test
    void anAgentTokenNeedsASiteOfTheFleet() {
        sites("east");
        assertThatThrownBy(() -> tokens.create(Principal.agent("north"), Duration.ofDays(1), "x"))
                .isInstanceOf(NotFoundException.class).hasMessage("no site north");
        assertThat(count("SELECT count(*) FROM api_tokens")).isZero();
        assertThatThrownBy(() -> new Principal(Principal.Role.AGENT, java.util.Optional.empty(), java.util.Optional.empty()))
                .hasMessage("an agent principal needs a site");
    }

    @Test
    void theTableAndTheEventLogHoldOnlyTheTokensHash() {
        IssuedToken token = tokens.create(Principal.tenant("acme"), Duration.ofDays(1), "ci");
        assertOnlyTheHashIsKept(token);
    }

    @Test
    void anAgentTokenToo() {
        sites("east");
        IssuedToken token = tokens.create(Principal.agent("east"), Duration.ofDays(1), "agent");
        assertOnlyTheHashIsKept(token);
        assertThat(text("SELECT payload::text FROM event_log WHERE type = 'token.created'")).contains("\"site\": \"east\"");
    }

    private static void assertOnlyTheHashIsKept(IssuedToken token) {
        String row = text("SELECT t::text FROM api_tokens t");
        assertThat(row).doesNotContain(token.secret()).doesNotContain(token.secret().substring(3));
        assertThat(text("SELECT encode(token_hash, 'hex') FROM api_tokens"))
                .isEqualTo(HexFormat.of().formatHex(TokenStore.sha256(token.secret())));
        assertThat(text("SELECT string_agg(payload::text, ' ') FROM event_log")).doesNotContain(token.secret().substring(3));
        assertThat(token.toString()).doesNotContain(token.secret()).contains("secret=(hidden)");
    }

    @Test
    void unknownMalformedAndMissingTokensAreRefused() {
        IssuedToken token = tokens.create(Principal.tenant("acme"), Duration.ofDays(1), "ci");
        assertThat(tokens.authenticate("sf_" + "A".repeat(43))).isEmpty();
        assertThat(tokens.authenticate(token.secret().substring(3))).isEmpty();
        assertThat(tokens.authenticate(token.secret() + "x")).isEmpty();
        assertThat(tokens.authenticate("")).isEmpty();
        assertThat(tokens.authenticate(null)).isEmpty();
    }

    @Test
    void anExpiredTokenIsRefused() {
        IssuedToken token = tokens.create(Principal.tenant("acme"), Duration.ofHours(1), "ci");
        clock.set(token.expires().minusMillis(1));
        assertThat(tokens.authenticate(token.secret())).isPresent();
        clock.set(token.expires());
        assertThat(tokens.authenticate(token.secret())).isEmpty();
        assertThatThrownBy(() -> tokens.create(Principal.operator(), Duration.ZERO, "x"))
                .hasMessage("token lifetime PT0S is not positive");
    }

    @Test
    void aRevokedTokenIsRefusedAndRevokingIsLogged() {
        IssuedToken token = tokens.create(Principal.tenant("acme"), Duration.ofDays(1), "ci");
        assertThat(tokens.revoke(token.id())).isTrue();
        assertThat(tokens.revoke(token.id())).isFalse();
        assertThat(tokens.authenticate(token.secret())).isEmpty();
        assertThat(allEvents()).extracting(Event::type).containsExactly("tenant.created", "token.created", "token.revoked");
    }

    @Test
    void aTenantTokenNeedsAnExistingTenant() {
        assertThatThrownBy(() -> tokens.create(Principal.tenant("nobody"), Duration.ofDays(1), "x"))
                .isInstanceOf(NotFoundException.class).hasMessage("no tenant nobody");
        assertThat(count("SELECT count(*) FROM api_tokens")).isZero();
    }

    private static void sites(String... names) {
        for (String name : names) {
            count("INSERT INTO agents (site) VALUES ('" + name + "') RETURNING 1");
        }
    }

    /** A clock the test moves by hand. */
    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
