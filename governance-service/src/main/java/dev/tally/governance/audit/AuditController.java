package dev.tally.governance.audit;

import dev.tally.governance.auth.Caller;
import dev.tally.governance.hierarchy.Lookup;
import dev.tally.governance.web.ApiException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;

/** Who changed what in an organisation, oldest first; page with {@code after} = the last {@code seq} seen. */
@RestController
public class AuditController {

    private final Lookup lookup;
    private final AuditLog audit;

    public AuditController(Lookup lookup, AuditLog audit) {
        this.lookup = lookup;
        this.audit = audit;
    }

    @GetMapping("/orgs/{orgId}/audit")
    public Flux<AuditLog.AuditEntry> list(Caller caller, @PathVariable String orgId,
            @RequestParam(defaultValue = "0") long after, @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw ApiException.invalid("limit", "must be between 1 and 1000");
        }
        return lookup.org(caller, orgId).flatMapMany(org -> audit.list(org.id(), after, limit));
    }
}
