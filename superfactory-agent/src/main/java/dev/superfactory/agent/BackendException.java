package dev.superfactory.agent;

/** A cluster manager refused a call or could not be reached; the message says which call and why. */
public class BackendException extends Exception {
    public BackendException(String message) {
        super(message);
    }

    public BackendException(String message, Throwable cause) {
        super(message, cause);
    }
}
