package dev.superfactory.server.store;

/** One job of a batch submit: its idempotency key and its spec (a JSON object as text). */
public record NewJob(String clientId, String specJson) {

    public NewJob {
        JobStore.requireText("clientId", clientId);
        JobStore.requireText("spec", specJson);
    }
}
