-- OpenAI's embedding models at its list prices, in USD per 1,000 tokens: text-embedding-3-small $0.02,
-- text-embedding-3-large $0.13 and text-embedding-ada-002 $0.10 per million tokens. An embedding bills its input
-- alone: nothing is generated, so the output price is 0. A price an operator set already is kept.
insert into price (provider, model, input_usd_per_1k, output_usd_per_1k, updated_at) values
    ('openai', 'text-embedding-3-small', 0.00002, 0, now()),
    ('openai', 'text-embedding-3-large', 0.00013, 0, now()),
    ('openai', 'text-embedding-ada-002', 0.0001, 0, now())
on conflict (provider, model) do nothing;
