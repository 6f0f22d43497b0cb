-- The price catalog (pricing/catalog.csv) adds a model or alias the first time it lists it, and never again: what a
-- platform admin changed or deleted stays so. Every price that exists now, and every model the earlier migrations
-- seeded (an admin may have deleted one since), counts as added already.
create table price_catalog_applied (
    provider   text not null,
    model      text not null,
    applied_at timestamptz not null,
    primary key (provider, model)
);

insert into price_catalog_applied (provider, model, applied_at)
select provider, model, now() from price;

insert into price_catalog_applied (provider, model, applied_at) values
    ('openai', 'gpt-4o', now()), ('openai', 'gpt-4o-mini', now()), ('openai', 'gpt-4-turbo', now()),
    ('openai', 'gpt-3.5-turbo', now()), ('openai', 'gpt-4', now()),
    ('anthropic', 'claude-3-opus-20240229', now()), ('anthropic', 'claude-3-haiku-20240307', now()),
    ('mock', 'mock-model', now()),
    ('openai', 'text-embedding-3-small', now()), ('openai', 'text-embedding-3-large', now()),
    ('openai', 'text-embedding-ada-002', now())
on conflict (provider, model) do nothing;
