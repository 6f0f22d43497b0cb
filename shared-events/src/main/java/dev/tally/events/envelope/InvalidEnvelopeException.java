package dev.tally.events.envelope;

/** A record whose headers or value cannot be read as a Tally message; consumers send it to the DLT with this reason. */
public class InvalidEnvelopeException extends RuntimeException {

    public InvalidEnvelopeException(String message) {
        super(message);
    }

    public InvalidEnvelopeException(String message, Throwable cause) {
        super(message, cause);
    }
}
