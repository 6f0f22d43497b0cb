package dev.tally.notification.alert;

import dev.tally.events.alert.Alert;
import dev.tally.events.alert.AlertKind;
import dev.tally.events.alert.AlertSeverity;
import dev.tally.events.governance.MemberState;
import dev.tally.events.governance.MemberStatus;
import dev.tally.notification.support.Sql;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * A member whose status changes to ON_VACATION is an alert (Alfred: vacation releases quota to the team). The last
 * status seen is kept per member, so re-reading the compacted state topic on every start finds no change.
 */
@Component
public class VacationWatch {

    private final DatabaseClient db;
    private final AlertIntake intake;

    public VacationWatch(DatabaseClient db, AlertIntake intake) {
        this.db = db;
        this.intake = intake;
    }

    public Mono<Boolean> onMember(MemberState m) {
        return Sql.bind(db.sql("""
                        with old as (select status from member_status where member_id = :id)
                        insert into member_status (member_id, org_id, status, updated_at)
                        values (:id, :org, :status, :at)
                        on conflict (member_id) do update set status = excluded.status, updated_at = excluded.updated_at
                        returning (select status from old) as previous"""),
                        "id", m.id(), "org", m.orgId(), "status", m.status().name(), "at", m.updatedAt())
                .map(row -> java.util.Optional.ofNullable(row.get("previous", String.class)))
                .one()
                .flatMap(previous -> {
                    boolean wentOnVacation = m.status() == MemberStatus.ON_VACATION
                            && !previous.map(MemberStatus.ON_VACATION.name()::equals).orElse(false);
                    return wentOnVacation ? intake.accept(alert(m), "tally.governance.state") : Mono.just(false);
                });
    }

    static Alert alert(MemberState m) {
        String who = m.name() == null ? m.id() : m.name();
        return new Alert(AlertIds.memberOnVacation(m.orgId(), m.id(), m.updatedAt()), m.orgId(),
                AlertKind.MEMBER_ON_VACATION, AlertSeverity.INFO, who + " is on vacation",
                who + (m.email() == null ? "" : " <" + m.email() + ">") + " is on vacation since " + m.updatedAt()
                        + (m.groupId() == null ? "." : "; team " + m.groupId()
                        + " may borrow from the quota they leave unused."),
                null, m.groupId(), m.id(), null, m.updatedAt());
    }
}
