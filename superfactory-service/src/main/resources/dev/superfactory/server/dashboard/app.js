/*
 * The Superfactory dashboard (issue 13 item 4): plain DOM, no framework, no network but this origin.
 *
 * Login: the token typed in is kept in sessionStorage (this tab only, gone when it closes) and sent as
 * "Authorization: Bearer"; GET /v1/me says whose it is. Every number comes from the JSON API, so a tenant's
 * token shows only what the API shows it: its own jobs, contract and money, and only its own jobs on the WAN.
 *
 * Live updates: a long-poll of GET /v1/events?since=N&waitSeconds=25 with fetch (EventSource cannot send the
 * Authorization header). The server parks the request without holding a thread until an event the token may
 * see commits; then the page re-fetches its views, at most one refresh at a time (events arriving meanwhile
 * cause exactly one more). Cost per refresh: GET /v1/fleet, /v1/jobs, /v1/tenants, one GET /v1/jobs/{id} per
 * active job shown (at most DETAIL_MAX) and one usage read per tenant: for an operator watching a busy fleet
 * that is tens of requests a second at most, each a few milliseconds. A timer refreshes every REFRESH_MS too,
 * so progress bars and forecasts move when no event comes.
 */
'use strict';

const ACTIVE = 'submitted,queued,held,admitted,running,preempting,lost';
const WAITING = new Set(['submitted', 'queued', 'held', 'lost']);
const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);
const DETAIL_MAX = 50;
const REFRESH_MS = 5000;
const TOKEN_KEY = 'superfactory.token';

const $ = id => document.getElementById(id);
const state = { token: null, me: null, since: 0, session: 0, busy: false, again: false, selected: null, fleet: null };

/** An element: el('td', {class: 'num', title: '…'}, child, 'text', …); attributes set as properties or data-*. */
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null) continue;
    if (k === 'class') node.className = v;
    else if (k.startsWith('data-')) node.setAttribute(k, v);
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node[k] = v;
  }
  for (const c of children.flat()) {
    if (c !== undefined && c !== null) node.append(c instanceof Node ? c : String(c));
  }
  return node;
}

async function api(method, path, body) {
  const headers = { Authorization: 'Bearer ' + state.token };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const error = new Error((json && (json.detail || json.title)) || method + ' ' + path + ': status ' + response.status);
    error.status = response.status;
    throw error;
  }
  return json;
}

function showError(message) {
  $('error').textContent = message || '';
  $('error').hidden = !message;
}

const fmt = {
  int: n => Number(n).toLocaleString('en-US'),
  usd: n => Number(n).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
  hours: n => Number(n).toLocaleString('en-US', { maximumFractionDigits: 1 }),
  time: iso => new Date(iso).toISOString().replace('T', ' ').slice(0, 19) + 'Z',
  seconds(s) {
    s = Math.max(0, Math.round(s));
    if (s < 120) return s + ' s';
    if (s < 7200) return Math.round(s / 60) + ' min';
    if (s < 172800) return (s / 3600).toFixed(1) + ' h';
    return (s / 86400).toFixed(1) + ' d';
  },
};

/** The forecast start of a pending job ("in 5 min" with the time), or "—" when there is none. */
function forecastText(job) {
  const forecast = job.forecast || (job.pending && job.pending.forecast) || {};
  const start = job.estimatedStart || (job.pending && job.pending.estimatedStart) || forecast.p50;
  if (!start) return { text: '—', title: forecast.asOf ? 'beyond the forecast horizon (as of ' + fmt.time(forecast.asOf) + ')' : 'no forecast' };
  const inSeconds = (Date.parse(start) - Date.now()) / 1000;
  const title = 'p50 ' + fmt.time(start) + (forecast.p90 ? ', p90 ' + fmt.time(forecast.p90) : '')
    + (forecast.asOf ? ' (as of ' + fmt.time(forecast.asOf) + ')' : '');
  return { text: inSeconds <= 0 ? 'now' : 'in ' + fmt.seconds(inSeconds), title };
}

function jobLink(id, label) {
  return el('a', { href: '#job/' + id, class: 'job-link' }, label || '#' + id);
}

// ---- fleet: heat map, domain actions, WAN links ----

/** A domain's state for its colour: drained and cordoned first, then down, free, busy or a mix. */
function domainState(d) {
  const busy = d.gpus - d.free - d.down;
  if (d.drained) return 'drained';
  if (d.cordoned) return 'cordoned';
  if (d.down === d.gpus) return 'down';
  if (d.free === d.gpus) return 'free';
  if (busy === d.gpus) return 'busy';
  return 'mixed';
}

function domainCell(d, block) {
  const busy = d.gpus - d.free - d.down;
  const kind = domainState(d);
  const title = 'domain ' + d.domain + ' (' + block.name + ', ' + block.gpu + '): ' + d.gpus + ' GPUs, ' + d.free
    + ' free, ' + busy + ' busy, ' + d.down + ' down' + (d.drained ? ', drained' : '') + (d.cordoned ? ', cordoned' : '');
  const cell = el('div', { class: 'cell ' + kind, id: 'domain-' + d.domain, title, 'data-domain': d.domain, 'data-state': kind,
    onclick: () => selectDomain(d.domain) });
  if (kind === 'mixed') {
    const busyPct = 100 * busy / d.gpus;
    const downPct = busyPct + 100 * d.down / d.gpus;
    cell.style.background = 'linear-gradient(to top, #2f6db5 ' + busyPct + '%, #d9534f ' + busyPct + '% ' + downPct
      + '%, #9ed8a6 ' + downPct + '%)';
  }
  if (state.selected === d.domain) cell.classList.add('selected');
  return cell;
}

/** More domains than this: small cells, blocks side by side with their name in a tooltip (fairwater's 4,704 fit one screen). */
const COMPACT_DOMAINS = 400;

function renderFleet(fleet) {
  state.fleet = fleet;
  const domains = fleet.sites.reduce((n, s) => n + s.blocks.reduce((m, b) => m + b.domains.length, 0), 0);
  $('heatmap').classList.toggle('compact', domains > COMPACT_DOMAINS);
  $('heatmap').replaceChildren(...fleet.sites.map(site => el('div', { class: 'site', 'data-site': site.name },
    el('h3', {}, site.name + ': ', el('span', { class: 'muted' }, fmt.int(site.free) + ' free, ' + fmt.int(site.allocated)
      + ' busy, ' + fmt.int(site.down) + ' down of ' + fmt.int(site.gpus) + ' GPUs')),
    el('div', { class: 'blocks' }, site.blocks.map(block => el('div', { class: 'block', title: block.name },
      el('span', { class: 'blockname' }, block.name), el('div', { class: 'cells' }, block.domains.map(d => domainCell(d, block)))))))));
  $('wan').tBodies[0].replaceChildren(...(fleet.wan || []).map(link => el('tr', {},
    el('td', {}, link.siteA + ' — ' + link.siteB), el('td', { class: 'num' }, fmt.int(link.distanceKm) + ' km'),
    el('td', { class: 'num' }, fmt.int(link.bandwidthGbps) + ' Gb/s'),
    el('td', { class: 'wan-jobs' }, link.jobs.length === 0 ? '—'
      : link.jobs.flatMap((j, i) => [i ? ', ' : '', jobLink(j.job), ' (' + j.tenant + ')'])))));
  showDomainActions();
}

function selectDomain(domain) {
  if (!state.me || state.me.role !== 'operator') return;
  state.selected = state.selected === domain ? null : domain;
  document.querySelectorAll('.cell.selected').forEach(c => c.classList.remove('selected'));
  if (state.selected !== null) $('domain-' + domain).classList.add('selected');
  showDomainActions();
}

function showDomainActions() {
  const cell = state.selected === null ? null : $('domain-' + state.selected);
  $('domain-actions').hidden = !cell;
  if (cell) $('domain-selected').textContent = cell.title;
}

async function domainAction(action) {
  const domain = state.selected;
  try {
    await api('POST', '/v1/fleet/domains/' + domain + '/' + action);
    showError('');
  } catch (e) {
    showError(action + ' of domain ' + domain + ': ' + e.message);
  }
  refresh();
}

// ---- queues per tenant ----

/** Sorted domain numbers as ranges: [3, 4, 5, 9] → "3–5, 9". */
function ranges(numbers) {
  const out = [];
  for (let i = 0; i < numbers.length; i++) {
    let j = i;
    while (j + 1 < numbers.length && numbers[j + 1] === numbers[j] + 1) j++;
    out.push(j === i ? String(numbers[i]) : numbers[i] + '–' + numbers[j]);
    i = j;
  }
  return out.join(', ');
}

function placementText(run) {
  if (!run) return '—';
  return run.shards.map(s => s.site + ': ' + s.placement.gpus + ' GPUs in domain' + (s.placement.domains.length > 1 ? 's ' : ' ')
    + ranges(s.placement.domains.map(d => d[0]).sort((a, b) => a - b))).join('; ');
}

function progressCell(job) {
  const declared = job.spec.expectedSeconds;
  if (!job.run || job.run.ended) return el('td', {}, '—');
  const elapsed = (Date.now() - Date.parse(job.run.created)) / 1000;
  const pct = Math.min(100, 100 * elapsed / declared);
  const bar = el('span');
  bar.style.width = pct.toFixed(1) + '%';
  return el('td', { class: 'progress-cell', title: 'elapsed since the run was placed / declared run time' },
    el('span', { class: 'progress' }, bar), ' ' + fmt.seconds(elapsed) + ' / ' + fmt.seconds(declared));
}

function pendingRow(job) {
  const p = job.pending;
  const forecast = forecastText(job);
  return el('tr', { id: 'job-row-' + job.id, class: 'job-row pending-row', 'data-job': job.id, 'data-state': job.state },
    el('td', {}, jobLink(job.id, '#' + job.id + ' ' + (job.clientId.startsWith('auto-') ? '' : job.clientId))),
    el('td', { class: 'num' }, job.spec.gpus), el('td', { class: 'state' }, job.state),
    el('td', { class: 'num position' }, p ? p.tenantPosition + ' of ' + p.tenantPending : '—'),
    el('td', { class: 'reason', title: p ? p.message : '' }, p ? p.reason : job.state === 'held' ? 'held by its owner' : '—'),
    el('td', { class: 'forecast', title: forecast.title }, forecast.text));
}

function runningRow(job) {
  return el('tr', { id: 'job-row-' + job.id, class: 'job-row running-row', 'data-job': job.id, 'data-state': job.state },
    el('td', {}, jobLink(job.id, '#' + job.id + ' ' + (job.clientId.startsWith('auto-') ? '' : job.clientId))),
    el('td', { class: 'num' }, job.spec.gpus), el('td', { class: 'state' }, job.state),
    el('td', { class: 'placement' }, placementText(job.run)), progressCell(job));
}

/** A table with a caption; a header ending in '#' is a numeric column's (right-aligned). */
function table(cls, caption, headers, rows) {
  return el('table', { class: cls }, el('caption', {}, caption), el('thead', {}, el('tr', {}, headers.map(h => h.endsWith('#')
    ? el('th', { class: 'num' }, h.slice(0, -1)) : el('th', {}, h)))), el('tbody', {}, rows));
}

async function renderQueues() {
  const list = await api('GET', '/v1/jobs?state=' + ACTIVE + '&limit=1000');
  const jobs = await Promise.all(list.items.map((j, i) => i < DETAIL_MAX
    ? api('GET', '/v1/jobs/' + j.id).catch(() => j) : Promise.resolve(j)));
  const byTenant = new Map();
  for (const job of jobs) {
    if (!byTenant.has(job.tenant)) byTenant.set(job.tenant, []);
    byTenant.get(job.tenant).push(job);
  }
  const tenants = [...byTenant.keys()].sort();
  $('queues').replaceChildren(...(tenants.length === 0 ? [el('p', { class: 'muted', id: 'no-jobs' }, 'No pending or running jobs.')]
    : tenants.map(t => {
      const mine = byTenant.get(t);
      const pending = mine.filter(j => WAITING.has(j.state));
      const running = mine.filter(j => !WAITING.has(j.state));
      return el('div', { class: 'tenant', 'data-tenant': t }, el('h3', {}, t + ' ',
        el('span', { class: 'muted' }, pending.length + ' pending, ' + running.length + ' running')),
        pending.length ? table('pending', 'Pending', ['Job', 'GPUs#', 'State', 'Position#', 'Why pending', 'Forecast start'], pending.map(pendingRow)) : '',
        running.length ? table('running', 'Running', ['Job', 'GPUs#', 'State', 'Placement', 'Progress'], running.map(runningRow)) : '');
    })));
}

// ---- contracts and money ----

async function renderContracts() {
  const tenants = (await api('GET', '/v1/tenants')).items;
  const operator = state.me.role === 'operator';
  const borrowed = t => Math.max(0, t.gpusHeld - t.reservedGpus);
  const idle = t => Math.max(0, t.reservedGpus - t.gpusHeld);
  const allBorrowed = tenants.reduce((s, t) => s + borrowed(t), 0);
  const allIdle = tenants.reduce((s, t) => s + idle(t), 0);
  // ASSUMPTION: what others borrow comes out of idle reservations pro rata (the kernel does not say whose)
  const lent = t => allIdle === 0 ? 0 : Math.round(idle(t) * Math.min(1, allBorrowed / allIdle));
  $('contracts').tBodies[0].replaceChildren(...tenants.map(t => el('tr', { 'data-tenant': t.tenant },
    el('td', { title: t.displayName + ', contract version ' + t.contractVersion }, t.tenant),
    el('td', { class: 'num' }, fmt.int(t.gpuLimit)), el('td', { class: 'num' }, fmt.int(t.reservedGpus)),
    el('td', { class: 'num' }, fmt.int(t.gpusHeld)), el('td', { class: 'num' }, fmt.int(borrowed(t))),
    el('td', { class: 'num', title: 'an estimate: others borrow from idle reservations pro rata' },
      operator ? fmt.int(lent(t)) : '—'))));
  const usage = await Promise.all(tenants.map(t => api('GET', '/v1/tenants/' + encodeURIComponent(t.tenant) + '/usage')));
  const total = usage.reduce((s, u) => s + u.totalUsd, 0);
  $('money').tBodies[0].replaceChildren(...usage.map(u => el('tr', { 'data-tenant': u.tenant },
    el('td', { title: 'since ' + fmt.time(u.since) }, u.tenant), el('td', { class: 'num' }, fmt.hours(u.gpuHours)),
    el('td', { class: 'num' }, fmt.hours(u.ownGpuHours)), el('td', { class: 'num' }, fmt.hours(u.borrowedGpuHours)),
    el('td', { class: 'num' }, fmt.usd(u.reservedUsd)), el('td', { class: 'num' }, fmt.usd(u.onDemandUsd)),
    el('td', { class: 'num' }, fmt.usd(u.totalUsd)))),
  ...(operator ? [el('tr', { class: 'total' }, el('th', {}, 'all'), el('td', { colSpan: 5 }), el('th', { class: 'num' }, fmt.usd(total)))] : []));
}

// ---- one job: facts, placement, timeline, cancel ----

function describe(e) {
  const p = e.payload || {};
  switch (e.type) {
    case 'job.submitted': return 'submitted' + (p.clientId ? ' as ' + p.clientId : '');
    case 'job.state': return p.from + ' → ' + p.to + (p.reason ? ': ' + p.reason : '');
    case 'run.started': return 'run ' + e.run + ' placed on ' + (p.sites || []).join(', ');
    case 'run.go': return 'run ' + e.run + ' told to go on ' + (p.sites || []).join(', ');
    case 'run.ended': return 'run ' + e.run + ' ended ' + p.state + (p.reason ? ': ' + p.reason : '');
    default: return e.type + (Object.keys(p).length ? ' ' + JSON.stringify(p) : '');
  }
}

async function renderJob(id) {
  const [job, events] = await Promise.all([api('GET', '/v1/jobs/' + id), api('GET', '/v1/events?job=' + id + '&limit=1000')]);
  const p = job.pending;
  const forecast = forecastText(job);
  $('job-title').textContent = 'Job ' + job.id + (job.clientId.startsWith('auto-') ? '' : ' ' + job.clientId) + ': ' + job.state;
  $('job-title').dataset.state = job.state;
  const facts = [['Tenant', job.tenant], ['GPUs', job.spec.gpus + ' in groups of ' + job.spec.scaleUpGroup],
    ['Declared run time', fmt.seconds(job.spec.expectedSeconds)], ['May span sites', job.spec.spanSites ? 'yes' : 'no'],
    ['Submitted', fmt.time(job.created)],
    ['Why pending', p ? p.reason + ': ' + p.message : '—'],
    ['Position', p ? p.position + ' of ' + p.pending + ' (tenant: ' + p.tenantPosition + ' of ' + p.tenantPending + ')' : '—'],
    ['Forecast start', forecast.text + (forecast.text === '—' ? '' : ' (' + forecast.title + ')')]];
  $('job-facts').replaceChildren(...facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', { 'data-fact': k }, v)]));
  $('job-cancel').hidden = TERMINAL.has(job.state);
  const shards = job.run ? job.run.shards : [];
  $('job-placement').tBodies[0].replaceChildren(...shards.map(s => el('tr', {},
    el('td', {}, s.site), el('td', {}, s.state), el('td', { class: 'num' }, s.placement.gpus),
    el('td', {}, s.placement.domains.map(d => d[0] + ' (' + d[1] + ')').join(', ')))),
  ...(shards.length ? [] : [el('tr', {}, el('td', { colSpan: 4, class: 'muted' }, 'not placed yet'))]));
  $('job-timeline').replaceChildren(...events.items.map(e => el('li', { 'data-type': e.type },
    el('time', {}, fmt.time(e.time)), describe(e))));
}

async function cancelJob() {
  const id = currentJob();
  try {
    await api('POST', '/v1/jobs/' + id + '/cancel');
    showError('');
  } catch (e) {
    showError('cancel of job ' + id + ': ' + e.message);
  }
  refresh();
}

// ---- submit (tenants) ----

async function submitJob(event) {
  event.preventDefault();
  const body = { gpus: Number($('submit-gpus').value), scaleUpGroup: Number($('submit-group').value),
    spanSites: $('submit-span').checked, durationSeconds: Number($('submit-duration').value) };
  if ($('submit-name').value.trim()) body.clientId = $('submit-name').value.trim();
  try {
    const job = await api('POST', '/v1/jobs', body);
    $('submit-result').replaceChildren('Submitted ', jobLink(job.id), ' (' + job.state + ').');
    $('submit-result').dataset.job = job.id;
    showError('');
  } catch (e) {
    showError('submit: ' + e.message);
  }
  refresh();
}

// ---- navigation, refresh, live updates, login ----

function currentJob() {
  const m = /^#job\/(\d+)$/.exec(location.hash);
  return m ? Number(m[1]) : null;
}

async function panel(name, work) {
  try {
    await work();
  } catch (e) {
    if (e.status === 401) return logout('the token is unknown, expired or revoked');
    showError(name + ': ' + e.message);
  }
}

/** Re-fetches every view shown; a call while one runs makes exactly one more run after it. */
async function refresh() {
  if (!state.me) return;
  if (state.busy) {
    state.again = true;
    return;
  }
  state.busy = true;
  try {
    const job = currentJob();
    $('job-page').hidden = job === null;
    $('overview').hidden = job !== null;
    if (job !== null) await panel('job ' + job, () => renderJob(job));
    else await Promise.all([panel('fleet', async () => renderFleet(await api('GET', '/v1/fleet'))),
      panel('queues', renderQueues), panel('contracts', renderContracts)]);
    $('live').textContent = 'updated ' + new Date().toLocaleTimeString();
  } finally {
    state.busy = false;
    if (state.again) {
      state.again = false;
      refresh();
    }
  }
}

/** Long-polls the event log while this login lasts; every answer with events triggers a refresh. */
async function follow(session) {
  while (session === state.session) {
    try {
      const page = await api('GET', '/v1/events?since=' + state.since + '&waitSeconds=25&limit=1000');
      if (session !== state.session) return;
      state.since = page.next;
      if (page.items.length) refresh();
    } catch (e) {
      if (e.status === 401 && session === state.session) return logout('the token is unknown, expired or revoked');
      await new Promise(done => setTimeout(done, 2000)); // the server restarting: try again shortly
    }
  }
}

async function login(token) {
  state.token = token;
  try {
    state.me = await api('GET', '/v1/me');
  } catch (e) {
    state.me = null;
    sessionStorage.removeItem(TOKEN_KEY);
    return showError('login: ' + e.message);
  }
  sessionStorage.setItem(TOKEN_KEY, token);
  showError('');
  state.since = state.me.newestSeq;
  const session = ++state.session;
  $('who').textContent = state.me.role === 'operator' ? 'operator' : 'tenant ' + state.me.tenant;
  $('login').hidden = true;
  $('logout').hidden = false;
  $('app').hidden = false;
  $('submit-panel').hidden = state.me.role !== 'tenant';
  $('token').value = '';
  refresh();
  follow(session);
  state.timer = setInterval(refresh, REFRESH_MS);
}

function logout(why) {
  state.session++;
  clearInterval(state.timer);
  Object.assign(state, { token: null, me: null, selected: null });
  sessionStorage.removeItem(TOKEN_KEY);
  $('who').textContent = '';
  $('login').hidden = false;
  $('logout').hidden = true;
  $('app').hidden = true;
  showError(why || '');
}

$('login').addEventListener('submit', e => {
  e.preventDefault();
  if ($('token').value.trim()) login($('token').value.trim());
});
$('logout').addEventListener('click', () => logout());
$('submit').addEventListener('submit', submitJob);
$('job-cancel').addEventListener('click', cancelJob);
document.querySelectorAll('#domain-actions button').forEach(b => b.addEventListener('click', () => domainAction(b.dataset.action)));
window.addEventListener('hashchange', refresh);
if (sessionStorage.getItem(TOKEN_KEY)) login(sessionStorage.getItem(TOKEN_KEY));
