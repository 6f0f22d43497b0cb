-- Who may name a project with X-Project-ID: users and agents (member_level MEMBER) or whole teams and agent groups
-- (GROUP). Ids are unique across kinds, so member_id alone identifies the member within a project.
create table project_member (
    project_id   text        not null references project (id),
    org_id       text        not null references org (id),
    member_level text        not null,
    member_id    text        not null,
    created_at   timestamptz not null,
    primary key (project_id, member_id)
);
