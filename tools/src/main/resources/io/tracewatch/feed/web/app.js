// tracewatch feed: the cases a regulator works through (the default view), each case with its
// alerts, evidence, parties, leads and handling; the live alert list with filters and an hourly
// chart; a code view with the custody chain. Plain browser JavaScript, no libraries, no inline
// script (the page's Content-Security-Policy allows none). Deep links: #/cases, #/case/<id>,
// #/alerts, #/code/<code>; a token given as #token=... is kept for the session and removed from
// the address at once.
(() => {
  'use strict';
  const RULES = ['DUPLICATE_SALE', 'IMPOSSIBLE_ROUTE', 'POST_DISPENSE_RESALE', 'UNLICENSED_CHANNEL', 'DESTROYED_PACK', 'EXPIRED_PACK',
    'RECALLED_PACK'];
  const ALERT_FILTERS = ['rule', 'cause', 'severity', 'region', 'party', 'code'];
  const CASE_FILTERS = ['status', 'severity', 'rule', 'cause', 'grade', 'region', 'period'];
  const $ = (selector) => document.querySelector(selector);
  let token = readToken();
  let me = { roles: [] };
  let stream = null;

  /** The token from the address (#token=, or ?token= of old links), then removed from it; else the session's. */
  function readToken() {
    const hash = new URLSearchParams(location.hash.replace(/^#/, ''));
    const query = new URLSearchParams(location.search);
    const given = hash.get('token') || query.get('token');
    if (given) {
      sessionStorage.setItem('tracewatch-token', given);
      history.replaceState(null, '', location.pathname + '#/cases');
      return given;
    }
    return sessionStorage.getItem('tracewatch-token');
  }

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([k, v]) => { if (v !== undefined && v !== null) node.setAttribute(k, v); });
    children.forEach((child) => node.append(child === undefined || child === null ? '' : child));
    return node;
  }

  function svg(tag, attributes) {
    const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
    Object.entries(attributes || {}).forEach(([k, v]) => node.setAttribute(k, v));
    return node;
  }

  function query(filters, prefix) {
    const q = new URLSearchParams();
    filters.forEach((name) => {
      const value = $('#' + prefix + name + '-filter').value.trim();
      if (value) q.set(name, value);
    });
    return q;
  }

  async function api(path, options) {
    const init = Object.assign({ headers: {} }, options || {});
    init.headers.Authorization = 'Bearer ' + token;
    const response = await fetch(path, init);
    const body = await response.json();
    if (!response.ok) throw Object.assign(new Error(body.error || response.statusText), { status: response.status });
    return body;
  }

  function when(iso) {
    return iso ? iso.replace('T', ' ').replace(/:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/, ' $2') : '';
  }

  // ------------------------------------------------------------------ cases

  function caseRow(c) {
    const link = el('a', { href: '#/case/' + encodeURIComponent(c.case_id) }, c.party_id);
    const rules = Object.entries(c.rules || {}).map(([r, n]) => r.toLowerCase().replace(/_/g, ' ') + ' ' + n).join(', ');
    return el('tr', { 'data-case': c.case_id, class: 'status-' + c.status },
      el('td', { class: 'sev-' + c.severity }, c.severity || ''), el('td', {}, c.status + (c.disposition ? ' · ' + c.disposition : '')),
      el('td', {}, link), el('td', {}, c.period), el('td', {}, String(c.alert_count)), el('td', {}, String(c.code_count)),
      el('td', {}, rules), el('td', { class: 'grade-' + (c.grade || '') , title: c.grade_reason || '' }, c.grade || ''),
      el('td', {}, (c.region || '') + (c.region_source === 'upload' ? ' (uploaded)' : '')));
  }

  async function loadCases() {
    const q = query(CASE_FILTERS, 'case-');
    q.set('limit', '500');
    const page = await api('/api/cases?' + q);
    $('#cases tbody').replaceChildren(...page.cases.map(caseRow));
    $('#case-count').textContent = page.total + ' cases';
  }

  function registerText(p) {
    if (!p) return 'not in the register';
    const licence = (p.licence_no ? p.licence_no + ' ' : '') + (p.licence_valid_to ? 'valid to ' + p.licence_valid_to : '');
    return [p.name, p.status, licence].filter(Boolean).join(' · ');
  }

  async function openCaseDetail(caseId) {
    const view = await api('/api/cases/' + encodeURIComponent(caseId));
    const c = view.case;
    $('#case-id').textContent = c.case_id;
    $('#case-status').textContent = c.status + (c.disposition ? ' · ' + c.disposition : '');
    $('#case-summary').textContent = c.alert_count + ' standing alerts on ' + c.code_count + ' codes, ' + when(c.first_event_time)
      + ' to ' + when(c.last_event_time) + '; severity ' + c.severity + '; region ' + (c.region || 'unknown')
      + (c.region_source ? ' (from the ' + c.region_source + ')' : '') + (c.grade ? '; ' + c.grade_reason : '');
    const parties = view.parties || {};
    const rows = [el('tr', { class: 'subject' }, el('td', {}, c.party_id), el('td', {}, 'case party'), el('td', {}, String(c.alert_count)),
      el('td', {}, registerText(parties[c.party_id])))];
    (c.upstream || []).forEach((u) => rows.push(el('tr', { class: 'upstream' }, el('td', {}, u.party_id),
      el('td', {}, 'supplier to cross-check (上游协查)'), el('td', {}, u.codes + ' codes'), el('td', {}, registerText(parties[u.party_id])))));
    (c.related_parties || []).filter((r) => !(c.upstream || []).some((u) => u.party_id === r.party_id)).forEach((r) =>
      rows.push(el('tr', {}, el('td', {}, r.party_id), el('td', {}, 'named in the evidence'), el('td', {}, r.alerts + ' alerts'),
        el('td', {}, registerText(parties[r.party_id])))));
    $('#case-parties tbody').replaceChildren(...rows);
    $('#case-leads tbody').replaceChildren(...view.leads.map((l) => el('tr', { class: l.status === 'RETRACTED' ? 'retracted' : '' },
      el('td', {}, l.status), el('td', {}, l.rule), el('td', {}, l.code),
      el('td', {}, (l.settled || []).map((s) => s.party_id + ' ' + s.event_type + (s.transaction_id ? ' ' + s.transaction_id : '')).join('; ')),
      el('td', {}, String(l.consumptions)))));
    $('#case-history tbody').replaceChildren(...(c.actions || []).map((a) => el('tr', {}, el('td', {}, when(a.at)), el('td', {}, a.action),
      el('td', {}, a.status + (a.disposition ? ' · ' + a.disposition : '')), el('td', {}, a.actor), el('td', {}, a.note || ''))));
    const alerts = new Map(view.alerts.map((a) => [a.alert_id, a]));
    $('#case-alert-list').replaceChildren(...c.alerts.map((summary) => {
      const alert = alerts.get(summary.alert_id);
      const code = el('a', { href: '#/code/' + encodeURIComponent(summary.code) }, summary.code);
      const block = el('div', { class: 'case-alert', 'data-alert': summary.alert_id },
        el('p', {}, el('strong', { class: 'sev-' + summary.severity }, summary.rule), summary.cause ? ' (cause ' + summary.cause + ')' : '',
          alert && alert.recall_id ? ' (recall ' + alert.recall_id + ')' : '', ' on ', code, ' at ', when(summary.event_time)));
      if (alert) {
        block.append(el('p', {}, alert.explanation));
        block.append(el('ol', {}, ...alert.evidence.map((e) => el('li', { class: e.event_id === alert.trigger_event_id ? 'trigger' : '' },
          when(e.event_time) + ' ' + e.event_type + ' ' + e.party_id + (e.counterparty_id ? ' ↔ ' + e.counterparty_id : '')))));
      }
      return block;
    }));
    const handles = me.roles.includes('handle');
    $('#case-actions').hidden = !handles;
    $('#case-actions').dataset.case = c.case_id;
    $('#case-action-result').textContent = '';
    $('#case-detail').hidden = false;
  }

  async function act(action) {
    const caseId = $('#case-actions').dataset.case;
    const body = { action, note: $('#case-note').value.trim() || null };
    if (action === 'CLOSE') body.disposition = $('#case-disposition').value;
    try {
      await api('/api/cases/' + encodeURIComponent(caseId) + '/actions',
        { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      $('#case-action-result').textContent = action + ' sent; the case updates when the job applies it';
      $('#case-action-result').className = 'ok';
    } catch (error) {
      $('#case-action-result').textContent = error.message;
      $('#case-action-result').className = 'error';
    }
  }

  // ------------------------------------------------------------------ alerts

  function row(alert) {
    const code = el('a', { 'data-code': alert.code, href: '#/code/' + encodeURIComponent(alert.code) }, alert.code);
    const tr = el('tr', { 'data-id': alert.alert_id, 'data-rule': alert.rule },
      el('td', {}, alert.status), el('td', {}, alert.rule), el('td', { class: 'sev-' + alert.severity }, alert.severity),
      el('td', {}, when(alert.event_time)), el('td', { class: 'code' }, code), el('td', {}, alert.party_id),
      el('td', {}, (alert.region || '') + (alert.region_source === 'upload' ? ' (uploaded)' : '')),
      el('td', {}, alert.cause || (alert.recall_id ? 'recall ' + alert.recall_id : '')), el('td', {}, alert.explanation));
    if (alert.status === 'RETRACTED') tr.classList.add('retracted');
    return tr;
  }

  async function loadList() {
    const q = query(ALERT_FILTERS, '');
    q.set('limit', '500');
    const page = await api('/api/alerts?' + q);
    $('#alerts tbody').replaceChildren(...page.alerts.map(row));
    $('#count').textContent = page.total + ' alerts in the window';
  }

  function connect() {
    if (stream) stream.close();
    const q = query(ALERT_FILTERS, '');
    q.set('access_token', token);
    stream = new EventSource('/api/alerts/stream?' + q);
    stream.addEventListener('ready', () => status(true));
    stream.onerror = () => status(false);
    stream.addEventListener('raised', (event) => {
      const alert = JSON.parse(event.data);
      const existing = document.querySelector('#alerts tr[data-id="' + CSS.escape(alert.alert_id) + '"]');
      if (existing) existing.remove();
      const tr = row(alert);
      tr.classList.add('new');
      $('#alerts tbody').prepend(tr);
    });
    stream.addEventListener('retracted', (event) => {
      const alert = JSON.parse(event.data);
      const existing = document.querySelector('#alerts tr[data-id="' + CSS.escape(alert.alert_id) + '"]');
      if (existing) {
        existing.classList.add('retracted');
        existing.firstChild.textContent = 'RETRACTED';
        existing.lastChild.textContent = alert.explanation;
      }
    });
    stream.addEventListener('case', () => { scheduleCases(); });
  }

  let casesTimer = null;
  function scheduleCases() {
    if (casesTimer) return;
    casesTimer = setTimeout(() => {
      casesTimer = null;
      loadCases().catch(() => {});
      const open = $('#case-actions').dataset.case;
      if (!$('#case-detail').hidden && open) openCaseDetail(open).catch(() => {});
    }, 500);
  }

  function status(live, text) {
    $('#connection').className = live ? 'live' : 'offline';
    $('#connection').textContent = text || (live ? 'live' : 'reconnecting');
  }

  /** Bars at their hour on a time axis: an empty hour is a gap, not a squeezed-out column. */
  async function drawChart() {
    const stats = await api('/api/stats');
    if (stats.kafka_connected === false) status(false, 'Kafka unreachable, retrying');
    const hours = Object.keys(stats.per_hour).sort();
    const chart = $('#chart');
    chart.replaceChildren();
    if (!hours.length) return;
    const hour = 3600000;
    const last = Date.parse(hours[hours.length - 1]);
    const first = Math.max(Date.parse(hours[0]), last - 47 * hour);
    const span = (last - first) / hour + 1;
    const width = 940 / span;
    const x = (iso) => 10 + ((Date.parse(iso) - first) / hour) * width;
    const shown = hours.filter((h) => Date.parse(h) >= first);
    const max = Math.max(1, ...shown.map((h) => RULES.reduce((sum, r) => sum + (stats.per_hour[h][r] || 0), 0)));
    const ticks = Math.min(8, span);
    for (let i = 0; i < ticks; i++) {
      const at = first + Math.round((i * (span - 1)) / Math.max(ticks - 1, 1)) * hour;
      const label = svg('text', { x: 10 + ((at - first) / hour) * width, y: 186, 'font-size': 10, fill: '#556' });
      label.textContent = new Date(at).toISOString().slice(5, 13).replace('T', ' ') + 'h';
      chart.append(label);
    }
    shown.forEach((h) => {
      let y = 172;
      RULES.forEach((rule) => {
        const count = stats.per_hour[h][rule] || 0;
        if (!count) return;
        const height = (count / max) * 160;
        y -= height;
        const bar = svg('rect', { x: x(h) + 1, y, width: Math.max(width - 2, 1), height, class: 'rule-' + rule });
        bar.append(svg('title'));
        bar.firstChild.textContent = h + ' ' + rule + ': ' + count;
        chart.append(bar);
      });
    });
    $('#legend').replaceChildren(...RULES.map((rule) => el('span', {}, el('i', { class: 'rule-' + rule }), rule)));
  }

  // ------------------------------------------------------------------ one code

  async function openCode(code) {
    const result = await api('/api/codes/' + encodeURIComponent(code));
    $('#case-code').textContent = code;
    $('#case-alerts').replaceChildren(...result.alerts.map((a) =>
      el('p', { class: a.status === 'RETRACTED' ? 'retracted' : '' },
        el('strong', {}, a.rule + (a.cause ? ' (' + a.cause + ')' : '') + (a.recall_id ? ' (recall ' + a.recall_id + ')' : '')
          + ' · ' + a.status + ': '), a.explanation)));
    const triggers = new Set(result.alerts.map((a) => a.trigger_event_id));
    const events = new Map();
    result.alerts.forEach((a) => a.evidence.forEach((e) => events.set(e.event_id, e)));
    const ordered = [...events.values()].sort((a, b) => Date.parse(a.event_time) - Date.parse(b.event_time)
      || a.event_id.localeCompare(b.event_id));
    $('#case-timeline tbody').replaceChildren(...ordered.map((e) => el('tr',
      { class: triggers.has(e.event_id) ? 'trigger' : '', 'data-event': e.event_id },
      el('td', {}, when(e.event_time)), el('td', {}, e.event_type), el('td', {}, e.party_id), el('td', {}, e.region || ''),
      el('td', {}, e.counterparty_id || ''),
      el('td', {}, e.quantity ? e.quantity + (e.quantity === 1 ? ' unit' : ' units') : (e.pack_size ? 'pack of ' + e.pack_size : 'pack')))));
    drawMap(ordered.filter((e) => e.lat !== undefined && e.lon !== undefined), triggers);
    $('#case-view').hidden = false;
    $('#custody tbody').replaceChildren();
    $('#custody-note').textContent = 'asking the detector for the custody chain...';
    try {
      const custody = await api('/api/codes/' + encodeURIComponent(code) + '/custody');
      const upstream = new Set(custody.upstream || []);
      $('#custody tbody').replaceChildren(...custody.custody.map((e) => el('tr',
        { class: upstream.has(e.party_id) ? 'upstream' : '', 'data-event': e.event_id },
        el('td', {}, when(e.event_time)), el('td', {}, e.event_type), el('td', {}, e.party_id), el('td', {}, e.region || ''),
        el('td', {}, e.counterparty_id || ''))));
      $('#custody-note').textContent = 'upstream holders: ' + ([...upstream].join(', ') || 'none') + '; standing alerts: '
        + custody.standing_alerts.length;
    } catch (error) {
      $('#custody-note').textContent = error.message;
    }
  }

  /** Scan sites on a small map; scans at one site share a label, and labels stay inside the map. */
  function drawMap(located, triggers) {
    const map = $('#case-map');
    map.replaceChildren();
    if (!located.length) {
      const note = svg('text', { x: 20, y: 120 });
      note.textContent = 'no scan of this code carries a location';
      map.append(note);
      return;
    }
    const lats = located.map((e) => e.lat), lons = located.map((e) => e.lon);
    const pad = 0.02;
    const minLat = Math.min(...lats) - pad, maxLat = Math.max(...lats) + pad;
    const minLon = Math.min(...lons) - pad, maxLon = Math.max(...lons) + pad;
    const x = (lon) => 20 + ((lon - minLon) / (maxLon - minLon)) * 280;
    const y = (lat) => 220 - ((lat - minLat) / (maxLat - minLat)) * 200;
    located.forEach((e, i) => {
      if (i > 0) {
        const from = located[i - 1];
        map.append(svg('line', { x1: x(from.lon), y1: y(from.lat), x2: x(e.lon), y2: y(e.lat),
          stroke: triggers.has(e.event_id) ? '#d00' : '#6b7a90', 'stroke-width': triggers.has(e.event_id) ? 3 : 1.5 }));
      }
    });
    const sites = new Map();
    located.forEach((e, i) => {
      const key = e.lat.toFixed(4) + ',' + e.lon.toFixed(4);
      if (!sites.has(key)) sites.set(key, { e, numbers: [], parties: new Set(), trigger: false });
      const site = sites.get(key);
      site.numbers.push(i + 1);
      site.parties.add(e.party_id);
      site.trigger = site.trigger || triggers.has(e.event_id);
    });
    sites.forEach((site) => {
      const cx = x(site.e.lon), cy = y(site.e.lat);
      map.append(svg('circle', { cx, cy, r: site.trigger ? 7 : 5, fill: site.trigger ? '#d00' : '#1f5fa8' }));
      const text = site.numbers.join(',') + ' ' + [...site.parties].join(', ');
      const rightSide = cx < 200;
      const label = svg('text', { x: rightSide ? cx + 8 : cx - 8, y: Math.max(12, Math.min(234, cy - 6)), 'font-size': 10,
        'text-anchor': rightSide ? 'start' : 'end' });
      label.textContent = text.length > 40 ? text.slice(0, 39) + '…' : text;
      map.append(label);
    });
  }

  // ------------------------------------------------------------------ navigation

  function show(view) {
    $('#cases-panel').hidden = view !== 'cases';
    $('#case-detail').hidden = view !== 'case';
    $('#alerts-panel').hidden = view !== 'alerts' && view !== 'code';
    $('#case-view').hidden = view !== 'code';
    $('#tab-cases').className = view === 'cases' || view === 'case' ? 'active' : '';
    $('#tab-alerts').className = view === 'alerts' || view === 'code' ? 'active' : '';
  }

  async function route() {
    const [, view, id] = (location.hash.match(/^#\/([a-z]+)\/?(.*)$/) || [null, 'cases', '']);
    try {
      if (view === 'case' && id) {
        show('case');
        $('#cases-panel').hidden = false;
        await openCaseDetail(decodeURIComponent(id));
      } else if (view === 'code' && id) {
        show('code');
        await openCode(decodeURIComponent(id));
      } else if (view === 'alerts') {
        show('alerts');
      } else {
        show('cases');
      }
    } catch (error) {
      $('#case-count').textContent = error.message;
    }
  }

  async function open() {
    try {
      me = await api('/api/me');
    } catch (error) {
      if (error.status === 401) {
        sessionStorage.removeItem('tracewatch-token');
        showLogin('That token was not accepted.');
        return;
      }
      showLogin(error.message);
      return;
    }
    sessionStorage.setItem('tracewatch-token', token);
    $('#who').textContent = me.name + ' · ' + me.roles.join(', ') + ' · ' + me.regions.join(', ');
    $('#login').hidden = true;
    $('#feed').hidden = false;
    $('#tabs').hidden = false;
    await Promise.all([loadCases(), loadList()]).catch((e) => { $('#case-count').textContent = e.message; });
    connect();
    drawChart().catch(() => {});
    route();
  }

  function showLogin(message) {
    $('#login').hidden = false;
    $('#feed').hidden = true;
    $('#login-error').textContent = message || '';
  }

  $('#login').addEventListener('submit', (event) => {
    event.preventDefault();
    token = $('#token').value.trim();
    open();
  });
  ALERT_FILTERS.forEach((name) => $('#' + name + '-filter').addEventListener('change', () => {
    loadList().catch((e) => { $('#count').textContent = e.message; });
    connect();
  }));
  CASE_FILTERS.forEach((name) => $('#case-' + name + '-filter').addEventListener('change', () => {
    loadCases().catch((e) => { $('#case-count').textContent = e.message; });
  }));
  document.querySelectorAll('#case-actions button').forEach((button) =>
    button.addEventListener('click', () => act(button.dataset.action)));
  $('#case-detail-close').addEventListener('click', () => { location.hash = '#/cases'; });
  $('#case-close').addEventListener('click', () => { location.hash = '#/alerts'; });
  window.addEventListener('hashchange', route);
  setInterval(() => { if (!$('#feed').hidden) drawChart().catch(() => {}); }, 10000);
  if (token) open(); else showLogin();
})();
