-- Platform prices in USD per 1,000 tokens: seed 004's table, plus seed 003's models.
insert into price (provider, model, input_usd_per_1k, output_usd_per_1k, updated_at) values
    ('openai', 'gpt-4o', 0.0025, 0.01, now()),
    ('openai', 'gpt-4o-mini', 0.00015, 0.0006, now()),
    ('openai', 'gpt-4-turbo', 0.01, 0.03, now()),
    ('openai', 'gpt-3.5-turbo', 0.0005, 0.0015, now()),
    ('openai', 'gpt-4', 0.03, 0.06, now()),
    ('anthropic', 'claude-3-opus-20240229', 0.015, 0.075, now()),
    ('anthropic', 'claude-3-haiku-20240307', 0.00025, 0.00125, now()),
    ('mock', 'mock-model', 0.001, 0.002, now());
