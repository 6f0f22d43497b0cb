package dev.tally.localstack;

/** The stack could not start or do what was asked; the message is meant for a person at a terminal. */
public class StackException extends RuntimeException {

    public StackException(String message) {
        super(message);
    }

    public StackException(String message, Throwable cause) {
        super(message, cause);
    }
}
