package dev.tally.governance.people;

import dev.tally.events.governance.MemberKind;
import dev.tally.governance.auth.Caller;
import dev.tally.governance.credit.TransferView;
import dev.tally.governance.hierarchy.HierarchyStore;
import dev.tally.governance.hierarchy.Lookup;
import dev.tally.governance.people.PeopleViews.TeamView;
import dev.tally.governance.people.PeopleViews.UserView;
import dev.tally.governance.web.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@RestController
public class UserController {

    private final PeopleService people;
    private final HierarchyStore store;
    private final Lookup lookup;

    public UserController(PeopleService people, HierarchyStore store, Lookup lookup) {
        this.people = people;
        this.store = store;
        this.lookup = lookup;
    }

    /** Alfred: returns the user with their first gateway key, shown this once. */
    @PostMapping("/orgs/{orgId}/users")
    @ResponseStatus(HttpStatus.CREATED)
    public Mono<UserView> create(Caller caller, @PathVariable String orgId,
            @RequestBody PeopleRequests.CreateUser request) {
        return lookup.org(caller, orgId).flatMap(org -> people.createUser(caller, org, request));
    }

    @GetMapping("/orgs/{orgId}/users")
    public Flux<UserView> list(Caller caller, @PathVariable String orgId) {
        return lookup.org(caller, orgId).flatMapMany(org -> store.members("org_id", org.id(), MemberKind.USER))
                .map(UserView::of);
    }

    @GetMapping("/users/me")
    public Mono<UserView> me(Caller caller) {
        return people.me(caller).map(UserView::of);
    }

    /** TokenPool: {@code PUT /users/me/status?status=on_vacation}; a JSON body {"status": …} works too. */
    @PutMapping("/users/me/status")
    public Mono<UserView> myStatus(Caller caller, @RequestParam(required = false) String status,
            @RequestBody(required = false) PeopleRequests.StatusChange body) {
        String value = status != null ? status : body == null ? null : body.status();
        if (value == null) {
            throw ApiException.missing("status");
        }
        return people.me(caller).flatMap(me -> people.setStatus(caller, me, value));
    }

    @PostMapping("/users/me/transfer")
    public Mono<ResponseEntity<TransferView>> give(Caller caller, @RequestBody PeopleRequests.MemberTransfer request) {
        return people.me(caller).flatMap(me -> people.giveCredits(caller, me, request))
                .map(TransferView::answer);
    }

    @GetMapping("/users/me/teams")
    public Flux<TeamView> myTeams(Caller caller) {
        return people.me(caller).filter(me -> me.groupId() != null)
                .flatMap(me -> store.group(me.groupId())).map(TeamView::of).flux();
    }

    @GetMapping("/users/{userId}")
    public Mono<UserView> get(Caller caller, @PathVariable String userId) {
        return lookup.member(caller, userId, MemberKind.USER).map(UserView::of);
    }

    @RequestMapping(path = "/users/{userId}", method = {RequestMethod.PUT, RequestMethod.PATCH})
    public Mono<UserView> update(Caller caller, @PathVariable String userId,
            @RequestBody PeopleRequests.UpdateUser request) {
        return lookup.member(caller, userId, MemberKind.USER).flatMap(user -> people.updateUser(caller, user, request));
    }
}
