// tracewatch live alert feed: a list that updates over server-sent events, filters, an hourly
// chart per rule, and a case view per code. Plain browser JavaScript, no libraries.
(() => {
  'use strict';
  const RULES = ['DUPLICATE_SALE', 'IMPOSSIBLE_ROUTE', 'POST_DISPENSE_RESALE'];
  const FILTERS = ['rule', 'severity', 'region', 'party', 'code'];
  const $ = (selector) => document.querySelector(selector);
  let token = new URLSearchParams(location.search).get('token') || sessionStorage.getItem('tracewatch-token');
  let stream = null;

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([k, v]) => node.setAttribute(k, v));
    children.forEach((child) => node.append(child));
    return node;
  }

  function svg(tag, attributes) {
    const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
    Object.entries(attributes || {}).forEach(([k, v]) => node.setAttribute(k, v));
    return node;
  }

  function filterQuery() {
    const query = new URLSearchParams();
    FILTERS.forEach((name) => {
      const value = $('#' + name + '-filter').value.trim();
      if (value) query.set(name, value);
    });
    return query;
  }

  async function api(path) {
    const response = await fetch(path, { headers: { Authorization: 'Bearer ' + token } });
    const body = await response.json();
    if (!response.ok) throw Object.assign(new Error(body.error || response.statusText), { status: response.status });
    return body;
  }

  function when(iso) {
    return iso.replace('T', ' ').replace(/:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/, ' $2');
  }

  function row(alert) {
    const code = el('a', { 'data-code': alert.code }, alert.code);
    code.addEventListener('click', () => openCase(alert.code));
    const tr = el('tr', { 'data-id': alert.alert_id, 'data-rule': alert.rule },
      el('td', {}, alert.status), el('td', {}, alert.rule), el('td', { class: 'sev-' + alert.severity }, alert.severity),
      el('td', {}, when(alert.event_time)), el('td', { class: 'code' }, code), el('td', {}, alert.party_id),
      el('td', {}, alert.region || ''), el('td', {}, alert.explanation));
    if (alert.status === 'RETRACTED') tr.classList.add('retracted');
    return tr;
  }

  async function loadList() {
    const query = filterQuery();
    query.set('limit', '500');
    const page = await api('/api/alerts?' + query);
    const body = $('#alerts tbody');
    body.replaceChildren(...page.alerts.map(row));
    $('#count').textContent = page.total + ' alerts in the window';
  }

  function connect() {
    if (stream) stream.close();
    const query = filterQuery();
    query.set('access_token', token);
    stream = new EventSource('/api/alerts/stream?' + query);
    stream.addEventListener('ready', () => { $('#connection').className = 'live'; $('#connection').textContent = 'live'; });
    stream.onerror = () => { $('#connection').className = 'offline'; $('#connection').textContent = 'reconnecting'; };
    stream.addEventListener('raised', (event) => {
      const alert = JSON.parse(event.data);
      const existing = document.querySelector('#alerts tr[data-id="' + alert.alert_id + '"]');
      if (existing) existing.remove();
      const tr = row(alert);
      tr.classList.add('new');
      $('#alerts tbody').prepend(tr);
    });
    stream.addEventListener('retracted', (event) => {
      const alert = JSON.parse(event.data);
      const existing = document.querySelector('#alerts tr[data-id="' + alert.alert_id + '"]');
      if (existing) {
        existing.classList.add('retracted');
        existing.firstChild.textContent = 'RETRACTED';
        existing.lastChild.textContent = alert.explanation;
      }
    });
  }

  async function drawChart() {
    const stats = await api('/api/stats');
    const hours = Object.keys(stats.per_hour).sort().slice(-48);
    const chart = $('#chart');
    chart.replaceChildren();
    const max = Math.max(1, ...hours.map((h) => RULES.reduce((sum, r) => sum + (stats.per_hour[h][r] || 0), 0)));
    const width = Math.min(960 / Math.max(hours.length, 1), 40);
    hours.forEach((hour, i) => {
      if (i % Math.max(1, Math.round(hours.length / 8)) === 0) {
        const label = svg('text', { x: i * width + 2, y: 12, 'font-size': 10, fill: '#556' });
        label.textContent = hour.slice(5, 13).replace('T', ' ') + 'h';
        chart.append(label);
      }
      let y = 170;
      RULES.forEach((rule) => {
        const count = stats.per_hour[hour][rule] || 0;
        if (!count) return;
        const height = (count / max) * 150;
        y -= height;
        const bar = svg('rect', { x: i * width + 1, y, width: Math.max(width - 2, 1), height, class: 'rule-' + rule });
        bar.append(svg('title'));
        bar.firstChild.textContent = hour + ' ' + rule + ': ' + count;
        chart.append(bar);
      });
    });
    $('#legend').replaceChildren(...RULES.map((rule) =>
      el('span', {}, el('i', { class: 'rule-' + rule }), rule)));
  }

  async function openCase(code) {
    const result = await api('/api/codes/' + encodeURIComponent(code));
    $('#case-code').textContent = code;
    $('#case-alerts').replaceChildren(...result.alerts.map((a) =>
      el('p', { class: a.status === 'RETRACTED' ? 'retracted' : '' },
        el('strong', {}, a.rule + ' · ' + a.status + ': '), a.explanation)));
    const triggers = new Set(result.alerts.map((a) => a.trigger_event_id));
    const events = new Map();
    result.alerts.forEach((a) => a.evidence.forEach((e) => events.set(e.event_id, e)));
    const ordered = [...events.values()].sort((a, b) => Date.parse(a.event_time) - Date.parse(b.event_time)
      || a.event_id.localeCompare(b.event_id));
    $('#case-timeline tbody').replaceChildren(...ordered.map((e) => el('tr',
      { class: triggers.has(e.event_id) ? 'trigger' : '', 'data-event': e.event_id },
      el('td', {}, when(e.event_time)), el('td', {}, e.event_type), el('td', {}, e.party_id), el('td', {}, e.region || ''),
      el('td', {}, e.counterparty_id || ''), el('td', {}, e.quantity ? String(e.quantity) : (e.pack_size ? 'pack of ' + e.pack_size : 'pack')))));
    drawMap(ordered.filter((e) => e.lat !== undefined && e.lon !== undefined), triggers);
    $('#case-view').hidden = false;
    $('#case-view').scrollIntoView({ behavior: 'smooth' });
  }

  function drawMap(located, triggers) {
    const map = $('#case-map');
    map.replaceChildren();
    if (!located.length) {
      const note = svg('text', { x: 20, y: 120 });
      note.textContent = 'no scan of this case carries a location';
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
    located.forEach((e, i) => {
      map.append(svg('circle', { cx: x(e.lon), cy: y(e.lat), r: triggers.has(e.event_id) ? 7 : 5,
        fill: triggers.has(e.event_id) ? '#d00' : '#1f5fa8' }));
      const label = svg('text', { x: x(e.lon) + 8, y: y(e.lat) - 6, 'font-size': 10 });
      label.textContent = (i + 1) + ' ' + e.party_id;
      map.append(label);
    });
  }

  async function open() {
    try {
      await loadList();
    } catch (error) {
      if (error.status === 401) {
        sessionStorage.removeItem('tracewatch-token');
        showLogin('That token was not accepted.');
        return;
      }
      $('#count').textContent = error.message;
      return;
    }
    sessionStorage.setItem('tracewatch-token', token);
    $('#login').hidden = true;
    $('#feed').hidden = false;
    connect();
    drawChart();
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
  FILTERS.forEach((name) => $('#' + name + '-filter').addEventListener('change', () => { loadList().catch((e) => { $('#count').textContent = e.message; }); connect(); }));
  $('#case-close').addEventListener('click', () => { $('#case-view').hidden = true; });
  setInterval(() => { if (!$('#feed').hidden) drawChart().catch(() => {}); }, 10000);
  if (token) open(); else showLogin();
})();
