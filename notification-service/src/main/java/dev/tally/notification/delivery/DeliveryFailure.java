package dev.tally.notification.delivery;

/**
 * An attempt that did not deliver. {@code permanent} when retrying cannot help (the receiver says the webhook does
 * not exist, or refuses the request as malformed or unauthorised): the delivery is dead at once.
 */
public class DeliveryFailure extends Exception {

    private final boolean permanent;

    public DeliveryFailure(String message, boolean permanent) {
        super(message);
        this.permanent = permanent;
    }

    public DeliveryFailure(String message, boolean permanent, Throwable cause) {
        super(message, cause);
        this.permanent = permanent;
    }

    public boolean permanent() {
        return permanent;
    }
}
