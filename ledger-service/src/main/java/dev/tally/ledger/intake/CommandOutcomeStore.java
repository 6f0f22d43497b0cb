package dev.tally.ledger.intake;

import dev.tally.events.envelope.MessageType;
import dev.tally.events.json.TallyJson;
import dev.tally.events.ledger.LedgerCommand;
import dev.tally.events.ledger.LedgerMessageTypes;
import dev.tally.events.ledger.LedgerReply;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The first outcome of every command id. Written inside the command's transaction, next to its events, so a
 * command either changed the ledger and is remembered, or did neither.
 */
@Repository
public class CommandOutcomeStore {

    private final JdbcTemplate jdbc;

    public CommandOutcomeStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<LedgerReply> find(LedgerCommand command) {
        List<LedgerReply> replies = jdbc.query(
                "SELECT reply_type, reply FROM command_outcome WHERE ledger_id = ? AND command_id = ?",
                (rs, row) -> read(rs.getString(1), rs.getBytes(2)), command.ledgerId(), command.commandId());
        return replies.stream().findFirst();
    }

    /** The first replies of those of {@code commandIds} the ledger has seen, by command id. */
    public Map<String, LedgerReply> findAll(String ledgerId, Collection<String> commandIds) {
        Map<String, LedgerReply> found = new HashMap<>();
        if (commandIds.isEmpty()) {
            return found;
        }
        jdbc.query("SELECT command_id, reply_type, reply FROM command_outcome WHERE ledger_id = ? "
                        + "AND command_id = ANY (?)",
                rs -> {
                    found.put(rs.getString(1), read(rs.getString(2), rs.getBytes(3)));
                },
                ledgerId, commandIds.toArray(String[]::new));
        return found;
    }

    /** As {@link #remember}, for several commands in one round trip. */
    public void rememberAll(List<LedgerCommand> commands, List<LedgerReply> replies) {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < commands.size(); i++) {
            LedgerReply reply = replies.get(i);
            rows.add(new Object[] {commands.get(i).commandId(), commands.get(i).ledgerId(),
                    LedgerMessageTypes.of(reply.getClass()).ceType(), TallyJson.write(reply)});
        }
        if (!rows.isEmpty()) {
            jdbc.batchUpdate("INSERT INTO command_outcome (command_id, ledger_id, reply_type, reply) "
                    + "VALUES (?, ?, ?, ?)", rows);
        }
    }

    public void remember(LedgerCommand command, LedgerReply reply) {
        jdbc.update("INSERT INTO command_outcome (command_id, ledger_id, reply_type, reply) VALUES (?, ?, ?, ?)",
                command.commandId(), command.ledgerId(), LedgerMessageTypes.of(reply.getClass()).ceType(),
                TallyJson.write(reply));
    }

    private static LedgerReply read(String ceType, byte[] json) {
        MessageType<?> type = LedgerMessageTypes.ofCeType(ceType);
        return (LedgerReply) TallyJson.read(json, type.javaType());
    }
}
