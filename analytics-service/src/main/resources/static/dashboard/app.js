'use strict';
// The Tally analytics dashboard: plain JavaScript over the service's own API. The admin key lives in
// sessionStorage (this tab only) and travels as the bearer header of each fetch; no cookie is ever set.
(() => {
  const KEY = 'tally-admin-key';
  const THEME = 'tally-theme';
  const $ = (id) => document.getElementById(id);
  const charts = {};
  const state = { org: null, view: 'overview', usageOffset: 0, usageLimit: 25, usageTotal: 0 };

  const fmt = (n) => (n === null || n === undefined) ? '–' : Number(n).toLocaleString('en-US');
  const dark = () => document.documentElement.dataset.theme === 'dark';

  async function api(path) {
    const response = await fetch(path, { headers: { Authorization: 'Bearer ' + sessionStorage.getItem(KEY) } });
    if (response.status === 401) {
      logout('Your admin key was not accepted (unknown or revoked).');
      throw new Error('unauthenticated');
    }
    if (!response.ok) {
      let message = response.status + ' ' + response.statusText;
      try { message = (await response.json()).error.message; } catch (e) { /* not JSON */ }
      throw new Error(message);
    }
    return response;
  }
  const json = async (path) => (await api(path)).json();
  const orgPath = (path) => '/orgs/' + encodeURIComponent(state.org) + path;

  function showError(e) { $('app-error').textContent = e && e.message !== 'unauthenticated' ? e.message : ''; }

  // ---- login ----
  async function login(key) {
    sessionStorage.setItem(KEY, key);
    const response = await fetch('/me', { headers: { Authorization: 'Bearer ' + key } });
    if (!response.ok) {
      sessionStorage.removeItem(KEY);
      let message = 'Sign-in failed (' + response.status + ')';
      try { message = (await response.json()).error.message; } catch (e) { /* not JSON */ }
      $('login-error').textContent = message;
      return;
    }
    const me = await response.json();
    const orgs = (await json('/orgs')).items;
    const select = $('org-select');
    select.replaceChildren(...orgs.map((o) => new Option(o.name ? o.name + ' (' + o.id + ')' : o.id, o.id)));
    select.hidden = orgs.length < 2 && me.role !== 'PLATFORM_ADMIN';
    state.org = me.org_id || (orgs[0] && orgs[0].id);
    if (state.org) select.value = state.org;
    $('login').hidden = true;
    $('app').hidden = false;
    $('login-error').textContent = '';
    show('overview');
  }

  function logout(message) {
    sessionStorage.removeItem(KEY);
    $('app').hidden = true;
    $('login').hidden = false;
    $('login-error').textContent = message || '';
  }

  // ---- views ----
  function show(view) {
    state.view = view;
    document.querySelectorAll('.tab').forEach((t) => t.classList.toggle('active', t.dataset.view === view));
    document.querySelectorAll('.view').forEach((v) => { v.hidden = v.id !== 'view-' + view; });
    showError(null);
    const load = { overview, usage, leaderboards, budgets, transfers }[view];
    load().catch(showError);
  }

  function chart(id, option) {
    const el = $(id);
    if (charts[id]) charts[id].dispose();
    charts[id] = echarts.init(el, dark() ? 'dark' : null);
    // No animation: numbers people read should be there at once (and screenshots show the whole chart).
    charts[id].setOption(Object.assign({ backgroundColor: 'transparent', animation: false }, option));
    return charts[id];
  }

  async function overview() {
    const [o, trend, models] = await Promise.all([json(orgPath('/overview')),
      json(orgPath('/cost-trend?days=30')), json(orgPath('/breakdown?by=model&days=30'))]);
    $('balance').textContent = fmt(o.balance_credits);
    $('available').textContent = fmt(o.available_credits);
    $('held').textContent = fmt(o.held_credits);
    $('burn-24h').textContent = fmt(o.burn_rate.credits_last_24h);
    $('burn-7d').textContent = fmt(o.burn_rate.credits_last_7d);
    $('days-left').textContent = o.days_left === null ? '∞' : fmt(o.days_left);
    const days = trend.days;
    chart('chart-trend', {
      tooltip: { trigger: 'axis' },
      grid: { left: 50, right: 16, top: 16, bottom: 30 },
      xAxis: { type: 'category', data: days.map((d) => d.date.substring(5)) },
      yAxis: { type: 'value' },
      series: [{ name: 'credits', type: 'bar', data: days.map((d) => d.credits) }],
    });
    $('chart-trend').dataset.total = days.reduce((sum, d) => sum + d.credits, 0);
    chart('chart-models', {
      tooltip: { trigger: 'item' },
      series: [{ type: 'pie', radius: ['40%', '70%'],
        data: models.items.map((m) => ({ name: m.key, value: m.credits })) }],
    });
    $('chart-models').dataset.slices = models.items.length;
    const bars = o.budgets.map((b) => {
      const row = document.createElement('div');
      row.className = 'bar';
      const label = document.createElement('div');
      label.className = 'label';
      const name = document.createElement('span');
      name.textContent = (b.scope_name || b.scope_level + ' ' + b.scope_id) + ' · ' + b.period.toLowerCase();
      const value = document.createElement('span');
      value.textContent = fmt(b.spent_credits) + ' / ' + fmt(b.limit_credits) + ' (' + b.fill_percent + ' %)'
        + (b.forecast_exceeds ? ' · forecast ' + b.forecast_percent + ' %' : '');
      label.append(name, value);
      const track = document.createElement('div');
      track.className = 'track';
      const fill = document.createElement('div');
      fill.className = 'fill' + (b.fill_percent >= 100 ? ' over' : b.fill_percent >= 80 ? ' warn' : '');
      fill.style.width = Math.min(100, b.fill_percent) + '%';
      track.append(fill);
      row.append(label, track);
      return row;
    });
    $('budget-bars').replaceChildren(...(bars.length ? bars : [text('p', 'No budgets defined.')]));
  }

  function text(tag, value, cls) {
    const el = document.createElement(tag);
    el.textContent = value === null || value === undefined ? '' : String(value);
    if (cls) el.className = cls;
    return el;
  }

  function fill(tableId, rows) {
    const body = $(tableId).tBodies[0];
    body.replaceChildren(...rows.map((cells) => {
      const tr = document.createElement('tr');
      cells.forEach(([value, cls]) => tr.append(text('td', value, cls)));
      return tr;
    }));
  }
  const num = (v) => [fmt(v), 'num'];
  const time = (iso) => [new Date(iso).toLocaleString()];

  function usageQuery() {
    const p = new URLSearchParams({ limit: state.usageLimit, offset: state.usageOffset, days: $('filter-days').value });
    [['member_id', 'filter-member'], ['project_id', 'filter-project'], ['model', 'filter-model'],
      ['status', 'filter-status']].forEach(([name, id]) => { if ($(id).value.trim()) p.set(name, $(id).value.trim()); });
    return p;
  }

  async function usage() {
    const page = await json(orgPath('/usage?' + usageQuery()));
    state.usageTotal = page.total;
    fill('usage-table', page.items.map((r) => [time(r.created_at), [r.member_name || r.member_id], [r.project_id],
      [r.model + (r.fallback ? ' (fallback from ' + r.requested_model + ')' : '')],
      [r.status, r.status === 'SUCCESS' ? '' : 'bad'], num(r.input_tokens), num(r.output_tokens),
      num(r.credits_charged), num(r.latency_ms)]));
    const last = Math.min(page.total, state.usageOffset + page.items.length);
    $('usage-page').textContent = page.total ? (state.usageOffset + 1) + '–' + last + ' of ' + page.total : 'no requests';
    $('usage-prev').disabled = state.usageOffset === 0;
    $('usage-next').disabled = last >= page.total;
  }

  async function leaderboards() {
    const [top, eff] = await Promise.all([json(orgPath('/top-spenders?limit=10&by=' + $('top-by').value)),
      json(orgPath('/efficiency?limit=20'))]);
    const items = top.items.slice().reverse();
    chart('chart-top', {
      tooltip: { trigger: 'axis' },
      grid: { left: 140, right: 24, top: 8, bottom: 24 },
      xAxis: { type: 'value' },
      yAxis: { type: 'category', data: items.map((i) => i.name || i.id) },
      series: [{ name: 'credits', type: 'bar', data: items.map((i) => i.credits) }],
    });
    $('chart-top').dataset.bars = items.length;
    fill('efficiency-table', eff.items.map((e) => [[e.rank], [e.name || e.member_id], [e.kind], [e.score, 'num'],
      num(e.prompt_tokens), num(e.completion_tokens), num(e.requests),
      [e.credits_per_thousand_completion_tokens, 'num']]));
  }

  async function budgets() {
    const [b, alerts, anomalies] = await Promise.all([json(orgPath('/forecast')), json(orgPath('/alerts')),
      json(orgPath('/anomalies'))]);
    fill('budgets-table', b.items.map((x) => [[x.scope_name || x.scope_level + ' ' + x.scope_id],
      [x.period], num(x.limit_credits), num(x.spent_credits), [x.fill_percent + ' %', 'num'],
      [fmt(x.forecast_credits) + ' (' + x.forecast_percent + ' %)', x.forecast_exceeds ? 'num bad' : 'num'],
      [x.exhausted_at ? new Date(x.exhausted_at).toLocaleString() : '']]));
    fill('alerts-table', alerts.items.map((a) => [time(a.occurred_at), [a.kind, a.kind === 'EXHAUSTED' ? 'bad' : ''],
      [a.scope_name || a.scope_level + ' ' + a.scope_id],
      [a.threshold_percent === null ? '' : a.threshold_percent + ' %', 'num'],
      [fmt(a.spent_credits) + ' / ' + fmt(a.limit_credits), 'num']]));
    fill('anomalies-table', anomalies.items.map((a) => [[a.name || a.member_id], num(a.credits_last_24h),
      [a.baseline_daily_mean, 'num'], [a.ratio, 'num']]));
  }

  async function transfers() {
    const t = await json(orgPath('/transfers?limit=100'));
    fill('transfers-table', t.items.map((x) => [time(x.occurred_at), [x.from_name || x.from_account_id],
      [x.to_name || x.to_account_id], num(x.credits), [x.reason], [x.actor],
      [x.refused ? 'refused' : 'done', x.refused ? 'bad' : '']]));
  }

  // ---- downloads: fetched with the bearer header, then saved from a blob ----
  async function download(path) {
    const response = await api(path);
    const disposition = response.headers.get('Content-Disposition') || '';
    const match = /filename="([^"]+)"/.exec(disposition);
    const url = URL.createObjectURL(await response.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = match ? match[1] : 'tally-export';
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  function themeButton() {
    $('dark-toggle').setAttribute('aria-pressed', String(dark()));
    $('dark-toggle').textContent = dark() ? 'Light mode' : 'Dark mode';
  }

  function toggleDark() {
    const next = dark() ? 'light' : 'dark';
    if (next === 'dark') document.documentElement.dataset.theme = 'dark';
    else delete document.documentElement.dataset.theme;
    localStorage.setItem(THEME, next);
    themeButton();
    if (!$('app').hidden) show(state.view); // charts take their theme at init: draw them again
  }

  // ---- wiring ----
  $('login-form').addEventListener('submit', (e) => { e.preventDefault(); login($('admin-key').value.trim()).catch((err) => { $('login-error').textContent = err.message; }); });
  $('logout').addEventListener('click', () => logout(''));
  $('dark-toggle').addEventListener('click', toggleDark);
  themeButton();
  $('org-select').addEventListener('change', (e) => { state.org = e.target.value; state.usageOffset = 0; show(state.view); });
  document.querySelectorAll('.tab').forEach((t) => t.addEventListener('click', () => show(t.dataset.view)));
  $('usage-filter').addEventListener('submit', (e) => { e.preventDefault(); state.usageOffset = 0; usage().catch(showError); });
  $('usage-prev').addEventListener('click', () => { state.usageOffset = Math.max(0, state.usageOffset - state.usageLimit); usage().catch(showError); });
  $('usage-next').addEventListener('click', () => { state.usageOffset += state.usageLimit; usage().catch(showError); });
  $('top-by').addEventListener('change', () => leaderboards().catch(showError));
  $('download-usage-csv').addEventListener('click', () => download(orgPath('/exports/usage?format=csv&days=' + $('filter-days').value)).catch(showError));
  $('download-allocation-csv').addEventListener('click', () => download(orgPath('/exports/cost-allocation?format=csv&days=' + $('filter-days').value)).catch(showError));
  $('download-allocation-json').addEventListener('click', () => download(orgPath('/exports/cost-allocation?format=json&days=' + $('filter-days').value)).catch(showError));
  window.addEventListener('resize', () => Object.values(charts).forEach((c) => c.resize()));

  if (sessionStorage.getItem(KEY)) login(sessionStorage.getItem(KEY)).catch(() => logout(''));
})();
