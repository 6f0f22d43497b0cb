package dev.tally.events.governance;

import dev.tally.events.envelope.InvalidEnvelopeException;
import dev.tally.events.envelope.MessageType;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The wire names of the records on {@code tally.governance.state}. A rename here breaks every gateway. */
public final class GovernanceMessageTypes {

    private static final String DOMAIN = "governance";

    public static final List<MessageType<? extends GovernanceState>> STATES = List.of(
            type("Org", OrgState.class),
            type("Workspace", WorkspaceState.class),
            type("Group", GroupState.class),
            type("Member", MemberState.class),
            type("ApiKey", ApiKeyState.class),
            type("Project", ProjectState.class),
            type("Policy", PolicyState.class),
            type("Budget", BudgetState.class),
            type("Price", PriceState.class),
            type("Credential", CredentialState.class),
            type("AdminKey", AdminKeyState.class),
            type("ProjectMember", ProjectMemberState.class));

    private static final Map<Class<?>, MessageType<?>> BY_CLASS = STATES.stream()
            .collect(Collectors.toUnmodifiableMap(MessageType::javaType, Function.identity()));
    private static final Map<String, MessageType<?>> BY_CE_TYPE = STATES.stream()
            .collect(Collectors.toUnmodifiableMap(MessageType::ceType, Function.identity()));

    private GovernanceMessageTypes() {
    }

    @SuppressWarnings("unchecked")
    public static <T> MessageType<T> of(Class<T> javaType) {
        MessageType<?> type = BY_CLASS.get(javaType);
        if (type == null) {
            throw new IllegalArgumentException("not a governance state: " + javaType.getName());
        }
        return (MessageType<T>) type;
    }

    public static MessageType<?> ofCeType(String ceType) {
        MessageType<?> type = BY_CE_TYPE.get(ceType);
        if (type == null) {
            throw new InvalidEnvelopeException("unknown message type " + ceType);
        }
        return type;
    }

    private static <T> MessageType<T> type(String name, Class<T> javaType) {
        return new MessageType<>(DOMAIN, name, 1, javaType);
    }
}
