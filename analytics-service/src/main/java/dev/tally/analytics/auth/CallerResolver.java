package dev.tally.analytics.auth;

import dev.tally.analytics.directory.GovernanceDirectory;
import dev.tally.analytics.directory.StateTopicConsumer;
import dev.tally.analytics.web.ApiException;
import dev.tally.events.governance.AdminKeyState;
import dev.tally.events.governance.AdminRole;
import dev.tally.events.governance.KeyStatus;
import org.springframework.stereotype.Component;

/** Bearer key to {@link Caller}, from the in-memory copy of governance's admin keys: no call to governance. */
@Component
public class CallerResolver {

    static final String ADMIN_PREFIX = "tadm_";

    private final GovernanceDirectory directory;
    private final StateTopicConsumer state;

    public CallerResolver(GovernanceDirectory directory, StateTopicConsumer state) {
        this.directory = directory;
        this.state = state;
    }

    public Caller resolve(String key) {
        if (!key.startsWith(ADMIN_PREFIX)) {
            throw ApiException.unauthenticated("analytics needs an admin key (tadm_…); gateway keys cannot read it");
        }
        if (!state.ready()) {
            throw ApiException.unavailable("admin keys are still loading from tally.governance.state; retry shortly");
        }
        AdminKeyState admin = directory.adminKey(AdminKeyHash.of(key));
        if (admin == null || admin.status() != KeyStatus.ACTIVE) {
            throw ApiException.unauthenticated("unknown or revoked admin key");
        }
        if (admin.role() != AdminRole.PLATFORM_ADMIN && admin.orgId() == null) {
            throw ApiException.unauthenticated("the admin key names no organisation");
        }
        return new Caller(admin.role(), admin.role() == AdminRole.PLATFORM_ADMIN ? null : admin.orgId(), admin.id());
    }
}
