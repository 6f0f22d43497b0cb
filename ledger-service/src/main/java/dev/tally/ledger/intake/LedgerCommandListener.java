package dev.tally.ledger.intake;

import dev.tally.events.ledger.LedgerCommand;
import dev.tally.events.ledger.LedgerReply;
import io.micrometer.tracing.Span;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Consumes {@code tally.ledger.commands} a poll at a time. One partition is handled by one thread in order, and a
 * ledger's commands share a partition (key = ledger id), so each ledger sees its commands in the order they were
 * sent. The commands of one ledger in a poll are decided together, in one transaction (see
 * {@link LedgerCommandDispatcher#dispatchAll}): a commit per poll and ledger instead of one per command is what lets
 * one organisation's ledger keep up with thousands of commands a second.
 *
 * <p>A record that cannot be read goes to the dead-letter topic with the reason, and the records before it are
 * answered first. Should anything else fail, the poll is done again one record at a time, in order, exactly as
 * before batching: commands already applied get their first reply back, and the record that fails is retried by
 * the error handler, then dead-lettered, while the rest carry on.
 */
@Component
public class LedgerCommandListener {

    private static final Logger log = LoggerFactory.getLogger(LedgerCommandListener.class);

    private final LedgerCommandDispatcher dispatcher;
    private final ReplyPublisher replies;
    private final CommandMetrics metrics;
    private final CommandTraces traces;

    public LedgerCommandListener(LedgerCommandDispatcher dispatcher, ReplyPublisher replies, CommandMetrics metrics,
            CommandTraces traces) {
        this.dispatcher = dispatcher;
        this.replies = replies;
        this.metrics = metrics;
        this.traces = traces;
    }

    /*
     * fetch.min.bytes / fetch.max.wait.ms: the broker may hold a fetch until that many bytes of commands are there or
     * that long has passed. Waiting a few milliseconds makes fuller polls (one transaction for more commands) at the
     * price of that wait on a lone command; the defaults are Kafka's (answer at once).
     */
    @KafkaListener(id = "ledger-commands", topics = "tally.ledger.commands", batch = "true",
            concurrency = "${tally.ledger.command-consumers:4}",
            properties = {"fetch.min.bytes=${tally.ledger.intake.fetch-min-bytes:1}",
                    "fetch.max.wait.ms=${tally.ledger.intake.fetch-max-wait:500}"})
    public void onCommands(List<ConsumerRecord<String, byte[]>> records) {
        List<LedgerCommand> commands = new ArrayList<>();
        RuntimeException unreadable = null;
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                commands.add(LedgerRecords.readCommand(record));
            } catch (RuntimeException e) {
                unreadable = e;
                break;
            }
        }
        List<Span> spans = traces.decide(records, commands);
        try {
            answer(records.subList(0, commands.size()), commands);
        } finally {
            traces.end(spans);
        }
        if (unreadable != null) {
            throw new BatchListenerFailedException(unreadable.getMessage(), unreadable, commands.size());
        }
    }

    private void answer(List<ConsumerRecord<String, byte[]>> records, List<LedgerCommand> commands) {
        Map<String, List<Integer>> byLedger = new LinkedHashMap<>();
        for (int i = 0; i < commands.size(); i++) {
            byLedger.computeIfAbsent(String.valueOf(commands.get(i).ledgerId()), id -> new ArrayList<>()).add(i);
        }
        LedgerReply[] answers = new LedgerReply[commands.size()];
        try {
            byLedger.forEach((ledgerId, indexes) -> {
                List<LedgerReply> decided = dispatcher.dispatchAll(ledgerId,
                        indexes.stream().map(commands::get).toList());
                for (int i = 0; i < indexes.size(); i++) {
                    answers[indexes.get(i)] = decided.get(i);
                }
            });
        } catch (RuntimeException e) {
            log.warn("a poll of {} commands failed ({}); deciding them one at a time", commands.size(), e.toString());
            oneAtATime(records, commands);
            return;
        }
        for (int i = 0; i < answers.length; i++) {
            replies.reply(records.get(i), answers[i]);
            metrics.answered(records.get(i), commands.get(i), answers[i]);
        }
    }

    private void oneAtATime(List<ConsumerRecord<String, byte[]>> records, List<LedgerCommand> commands) {
        for (int i = 0; i < commands.size(); i++) {
            LedgerCommand command = commands.get(i);
            try {
                LedgerReply answer = dispatcher.dispatch(command);
                replies.reply(records.get(i), answer);
                metrics.answered(records.get(i), command, answer);
            } catch (RuntimeException e) {
                log.warn("command {} of ledger {} failed; the error handler retries it, then dead-letters it",
                        command.commandId(), command.ledgerId(), e);
                throw new BatchListenerFailedException(e.getMessage(), e, i);
            }
        }
    }
}
