package dev.tally.ledger.intake;

import dev.tally.events.ledger.LedgerCommand;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Consumes {@code tally.ledger.commands}. One partition is handled by one thread in order, and a ledger's commands
 * share a partition (key = ledger id), so each ledger sees its commands in the order they were sent. A record that
 * cannot be read throws, and the error handler sends it to the dead-letter topic with the reason.
 */
@Component
public class LedgerCommandListener {

    private static final Logger log = LoggerFactory.getLogger(LedgerCommandListener.class);

    private final LedgerCommandDispatcher dispatcher;
    private final ReplyPublisher replies;

    public LedgerCommandListener(LedgerCommandDispatcher dispatcher, ReplyPublisher replies) {
        this.dispatcher = dispatcher;
        this.replies = replies;
    }

    @KafkaListener(id = "ledger-commands", topics = "tally.ledger.commands",
            concurrency = "${tally.ledger.command-consumers:4}")
    public void onCommand(ConsumerRecord<String, byte[]> record) {
        LedgerCommand command = LedgerRecords.readCommand(record);
        try {
            replies.reply(record, dispatcher.dispatch(command));
        } catch (RuntimeException e) {
            log.warn("command {} of ledger {} failed; the error handler retries it, then dead-letters it",
                    command.commandId(), command.ledgerId(), e);
            throw e;
        }
    }
}
