package dev.tally.ledger.intake;

import dev.tally.events.ledger.LedgerCommand;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Consumes {@code tally.ledger.commands}. One partition is handled by one thread in order, and a ledger's commands
 * share a partition (key = ledger id), so each ledger sees its commands in the order they were sent. A record that
 * cannot be read throws, and the error handler sends it to the dead-letter topic with the reason.
 */
@Component
public class LedgerCommandListener {

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
        replies.reply(record, dispatcher.dispatch(command));
    }
}
