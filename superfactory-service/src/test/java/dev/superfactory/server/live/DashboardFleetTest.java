package dev.superfactory.server.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * Issue 13 item 4: what the dashboard's fleet panel needs from {@code GET /v1/fleet} besides the
 * heat map's counts: each WAN link with the live runs across it, a tenant's own only. Fleet:
 * {@link LiveTestBase} (east and west, 32 GPUs each, one link); a 40-GPU gang must span both.
 */
class DashboardFleetTest extends LiveTestBase {

    @Test
    void aGangAcrossBothSitesIsListedOnTheLinkForItsTenantAndTheOperatorButNotForAnotherTenant() {
        start(1, true);
        JsonNode before = call("GET", "/v1/fleet", operator, null, 200).get("wan");
        assertThat(before).hasSize(1);
        assertThat(before.get(0).get("siteA").asText() + "-" + before.get(0).get("siteB").asText()).isEqualTo("east-west");
        assertThat(before.get(0).get("distanceKm").asDouble()).isEqualTo(1000);
        assertThat(before.get(0).get("bandwidthGbps").asDouble()).isEqualTo(10_000);
        assertThat(before.get(0).get("jobs")).isEmpty();

        long gang = call("POST", "/v1/jobs", alpha, "{\"gpus\":40,\"scaleUpGroup\":8,\"spanSites\":true,"
                + "\"durationSeconds\":86400}", 201).get("id").asLong();
        long local = submit(beta, 8, 86400);
        awaitState(alpha, gang, "running");
        awaitState(beta, local, "running");

        for (String token : new String[] {operator, alpha}) {
            JsonNode across = call("GET", "/v1/fleet", token, null, 200).get("wan").get(0).get("jobs");
            assertThat(across).hasSize(1);
            assertThat(across.get(0).get("job").asLong()).isEqualTo(gang);
            assertThat(across.get(0).get("tenant").asText()).isEqualTo("alpha");
            assertThat(across.get(0).get("sites")).extracting(JsonNode::asText).containsExactly("east", "west");
        }
        assertThat(call("GET", "/v1/fleet", beta, null, 200).get("wan").get(0).get("jobs")).isEmpty();
    }
}
