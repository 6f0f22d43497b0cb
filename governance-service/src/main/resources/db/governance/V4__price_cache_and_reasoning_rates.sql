-- Providers bill prompt-cache reads, cache writes and reasoning tokens at their own rates; null means the input
-- price (cache reads and writes) or the output price (reasoning), which is what every price meant before.
alter table price
    add column cached_input_usd_per_1k numeric(20, 10),
    add column cache_write_usd_per_1k  numeric(20, 10),
    add column reasoning_usd_per_1k    numeric(20, 10);

-- The seeded models' published cache rates (OpenAI: cached input; Anthropic: cache hits and 5-minute cache
-- writes). gpt-4-turbo, gpt-3.5-turbo and gpt-4 have no prompt caching; none of the seeded models reasons.
update price set cached_input_usd_per_1k = 0.00125, updated_at = now()
    where provider = 'openai' and model = 'gpt-4o';
update price set cached_input_usd_per_1k = 0.000075, updated_at = now()
    where provider = 'openai' and model = 'gpt-4o-mini';
update price set cached_input_usd_per_1k = 0.0015, cache_write_usd_per_1k = 0.01875, updated_at = now()
    where provider = 'anthropic' and model = 'claude-3-opus-20240229';
update price set cached_input_usd_per_1k = 0.00003, cache_write_usd_per_1k = 0.0003, updated_at = now()
    where provider = 'anthropic' and model = 'claude-3-haiku-20240307';
