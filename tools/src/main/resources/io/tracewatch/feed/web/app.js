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
  const LANGUAGE_KEY = 'tracewatch-language';
  let language = chooseLanguage();
  let messages = {};
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

  // ------------------------------------------------------------------ language

  /** The language chosen on this browser before, else the browser's (its Accept-Language): Chinese for zh-*. */
  function chooseLanguage() {
    const chosen = localStorage.getItem(LANGUAGE_KEY);
    if (chosen === 'en' || chosen === 'zh-CN') return chosen;
    return (navigator.languages || [navigator.language]).some((l) => /^zh/i.test(l || '')) ? 'zh-CN' : 'en';
  }

  /** Loads the language's messages (i18n/<language>.json) and puts them on the page's fixed text. */
  async function loadMessages() {
    const response = await fetch('i18n/' + language + '.json');
    messages = await response.json();
    document.documentElement.lang = language;
    document.querySelectorAll('[data-i18n]').forEach((node) => { node.textContent = t(node.dataset.i18n); });
    document.querySelectorAll('[data-i18n-placeholder]').forEach((node) => { node.placeholder = t(node.dataset.i18nPlaceholder); });
    document.querySelectorAll('[data-i18n-title]').forEach((node) => { node.title = t(node.dataset.i18nTitle); });
  }

  /** A message, with {name} replaced by values.name. */
  function t(key, values) {
    const text = Object.prototype.hasOwnProperty.call(messages, key) ? messages[key] : key;
    return text.replace(/\{(\w+)\}/g, (whole, name) => (values && values[name] !== undefined ? String(values[name]) : whole));
  }

  /** A value of the records (a rule, status, severity, cause, scan type...) as the reader's language names it. */
  function named(kind, value) {
    return value ? t(kind + '.' + value) : '';
  }

  function num(n) {
    return Number(n).toLocaleString(language);
  }

  /** An error from the API in the reader's language: its status says what happened. */
  function failure(error) {
    return error.status ? t('error.' + error.status, { detail: error.message }) : t('error.other', { detail: error.message });
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

  /** A time in China Standard Time, in the reader's language, with the offset stated. */
  function when(iso) {
    if (!iso) return '';
    const date = new Date(iso.replace(/(\.\d{3})\d+/, '$1'));
    if (Number.isNaN(date.getTime())) return iso;
    return new Intl.DateTimeFormat(language, { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(date) + ' +08:00';
  }

  // ------------------------------------------------------------------ cases

  function caseRow(c) {
    const link = el('a', { href: '#/case/' + encodeURIComponent(c.case_id) }, c.party_id);
    const rules = Object.entries(c.rules || {}).map(([r, n]) => named('rule', r) + ' ' + num(n)).join(t('list.separator'));
    return el('tr', { 'data-case': c.case_id, class: 'status-' + c.status },
      el('td', { class: 'sev-' + c.severity }, named('severity', c.severity)), el('td', {}, caseStatus(c)),
      el('td', {}, link), el('td', {}, c.period), el('td', {}, num(c.alert_count)), el('td', {}, num(c.code_count)),
      el('td', {}, rules), el('td', { class: 'grade-' + (c.grade || '') , title: gradeReason(c) }, c.grade || ''),
      el('td', {}, (c.region || '') + (c.region_source === 'upload' ? t('region.uploaded') : '')));
  }

  function caseStatus(c) {
    return named('status', c.status) + (c.disposition ? ' · ' + named('disposition', c.disposition) : '');
  }

  function gradeReason(c) {
    return (language === 'zh-CN' && c.grade_reason_zh) || c.grade_reason || '';
  }

  async function loadCases() {
    const q = query(CASE_FILTERS, 'case-');
    q.set('limit', '500');
    const page = await api('/api/cases?' + q);
    $('#cases tbody').replaceChildren(...page.cases.map(caseRow));
    $('#case-count').textContent = t('count.cases', { n: num(page.total) });
  }

  function registerText(p) {
    if (!p) return t('register.absent');
    const licence = (p.licence_no ? p.licence_no + ' ' : '') + (p.licence_valid_to ? t('register.validTo', { date: p.licence_valid_to }) : '');
    return [p.name, named('partyStatus', p.status), licence].filter(Boolean).join(' · ');
  }

  async function openCaseDetail(caseId) {
    const view = await api('/api/cases/' + encodeURIComponent(caseId));
    const c = view.case;
    $('#case-id').textContent = c.case_id;
    $('#case-status').textContent = caseStatus(c);
    $('#case-summary').textContent = t('case.summary', { alerts: num(c.alert_count), codes: num(c.code_count), from: when(c.first_event_time),
      to: when(c.last_event_time), severity: named('severity', c.severity), region: c.region || t('region.unknown') })
      + (c.region_source ? t('region.source.' + c.region_source) : '') + (c.grade ? t('list.separator') + gradeReason(c) : '');
    const parties = view.parties || {};
    // with no register loaded no party is in it, which must not read as unlicensed
    const register = (p) => (view.register_loaded ? registerText(p) : t('register.notLoaded'));
    const rows = [el('tr', { class: 'subject' }, el('td', {}, c.party_id), el('td', {}, t('role.caseParty')), el('td', {}, num(c.alert_count)),
      el('td', {}, register(parties[c.party_id])))];
    (c.upstream || []).forEach((u) => rows.push(el('tr', { class: 'upstream' }, el('td', {}, u.party_id),
      el('td', {}, t('role.upstream')), el('td', {}, t('count.codes', { n: num(u.codes) })), el('td', {}, register(parties[u.party_id])))));
    (c.related_parties || []).filter((r) => !(c.upstream || []).some((u) => u.party_id === r.party_id)).forEach((r) =>
      rows.push(el('tr', {}, el('td', {}, r.party_id), el('td', {}, t('role.related')), el('td', {}, t('count.alerts', { n: num(r.alerts) })),
        el('td', {}, register(parties[r.party_id])))));
    $('#case-parties tbody').replaceChildren(...rows);
    $('#case-leads tbody').replaceChildren(...view.leads.map((l) => el('tr', { class: l.status === 'RETRACTED' ? 'retracted' : '' },
      el('td', {}, named('alertStatus', l.status)), el('td', {}, named('rule', l.rule) + (l.cause ? ' · ' + named('cause', l.cause) : '')),
      el('td', {}, l.code),
      el('td', {}, (l.settled || []).map((x) => x.party_id + ' ' + named('event', x.event_type) + (x.transaction_id ? ' ' + x.transaction_id : ''))
        .join(t('list.separator'))),
      el('td', {}, num(l.consumptions)))));
    $('#case-history tbody').replaceChildren(...(c.actions || []).map((a) => el('tr', {}, el('td', {}, when(a.at)),
      el('td', {}, named('action', a.action)), el('td', {}, caseStatus(a)), el('td', {}, a.actor), el('td', {}, a.note || ''))));
    const alerts = new Map(view.alerts.map((a) => [a.alert_id, a]));
    $('#case-alert-list').replaceChildren(...c.alerts.map((summary) => {
      const alert = alerts.get(summary.alert_id);
      const code = el('a', { href: '#/code/' + encodeURIComponent(summary.code) }, summary.code);
      const block = el('div', { class: 'case-alert', 'data-alert': summary.alert_id },
        el('p', {}, el('strong', { class: 'sev-' + summary.severity }, named('rule', summary.rule)), summary.cause ? ' · ' + named('cause', summary.cause) : '',
          alert && alert.recall_id ? ' · ' + t('recall', { id: alert.recall_id }) : '', ' · ', code, ' · ', when(summary.event_time)));
      if (alert) {
        block.append(el('p', {}, explanation(alert)));
        block.append(el('ol', {}, ...alert.evidence.map((e) => el('li', { class: e.event_id === alert.trigger_event_id ? 'trigger' : '' },
          when(e.event_time) + ' ' + named('event', e.event_type) + ' ' + e.party_id + (e.counterparty_id ? ' ↔ ' + e.counterparty_id : '')))));
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
      $('#case-action-result').textContent = t('case.actionSent', { code: action, name: named('action', action) });
      $('#case-action-result').className = 'ok';
    } catch (error) {
      $('#case-action-result').textContent = failure(error);
      $('#case-action-result').className = 'error';
    }
  }

  // ------------------------------------------------------------------ alerts

  function row(alert) {
    const code = el('a', { 'data-code': alert.code, href: '#/code/' + encodeURIComponent(alert.code) }, alert.code);
    const tr = el('tr', { 'data-id': alert.alert_id, 'data-rule': alert.rule, 'data-time': Date.parse(alert.event_time) },
      el('td', {}, named('alertStatus', alert.status)), el('td', {}, named('rule', alert.rule)),
      el('td', { class: 'sev-' + alert.severity }, named('severity', alert.severity)),
      el('td', {}, when(alert.event_time)), el('td', { class: 'code' }, code), el('td', {}, alert.party_id),
      el('td', {}, (alert.region || '') + (alert.region_source === 'upload' ? t('region.uploaded') : '')),
      el('td', {}, alert.cause ? named('cause', alert.cause) : (alert.recall_id ? t('recall', { id: alert.recall_id }) : '')),
      el('td', {}, explanation(alert)));
    if (alert.status === 'RETRACTED') tr.classList.add('retracted');
    return tr;
  }

  /** The alert's sentence in the reader's language (explanation_zh for Chinese, when the alert has one). */
  function explanation(alert) {
    return (language === 'zh-CN' && alert.explanation_zh) || alert.explanation;
  }

  async function loadList() {
    const q = query(ALERT_FILTERS, '');
    q.set('limit', '500');
    const page = await api('/api/alerts?' + q);
    $('#alerts tbody').replaceChildren(...page.alerts.map(row));
    $('#count').textContent = t('count.window', { n: num(page.total) });
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
      // in trigger time order, the latest first, as the list is: a late upload's alert goes where its time is
      const later = [...$('#alerts tbody').children].find((other) => Number(other.dataset.time) <= Number(tr.dataset.time));
      $('#alerts tbody').insertBefore(tr, later || null);
    });
    stream.addEventListener('retracted', (event) => {
      const alert = JSON.parse(event.data);
      const existing = document.querySelector('#alerts tr[data-id="' + CSS.escape(alert.alert_id) + '"]');
      if (existing) {
        existing.classList.add('retracted');
        existing.firstChild.textContent = named('alertStatus', 'RETRACTED');
        existing.lastChild.textContent = explanation(alert);
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

  /** The connection's state, kept as a message key so that a change of language says it again. */
  function status(live, key) {
    $('#connection').className = live ? 'live' : 'offline';
    $('#connection').dataset.i18n = key || (live ? 'connection.live' : 'connection.reconnecting');
    $('#connection').textContent = t($('#connection').dataset.i18n);
  }

  /**
   * Bars at their time on a time axis: an empty hour is a gap, not a squeezed-out column. Every alert
   * of the window is on it: up to two days hour by hour, a longer span day by day (China Standard Time).
   */
  async function drawChart() {
    const stats = await api('/api/stats');
    if (stats.kafka_connected === false) status(false, 'connection.kafkaDown');
    const hours = Object.keys(stats.per_hour).sort();
    const chart = $('#chart');
    chart.replaceChildren();
    if (!hours.length) return;
    const hour = 3600000;
    const step = Date.parse(hours[hours.length - 1]) - Date.parse(hours[0]) < 48 * hour ? hour : 24 * hour;
    const bucketOf = (iso) => { const at = Date.parse(iso); return at - ((at + 8 * hour) % step); };
    const buckets = new Map();
    hours.forEach((h) => {
      const counts = buckets.get(bucketOf(h)) || {};
      RULES.forEach((rule) => { counts[rule] = (counts[rule] || 0) + (stats.per_hour[h][rule] || 0); });
      buckets.set(bucketOf(h), counts);
    });
    const first = bucketOf(hours[0]);
    const span = (bucketOf(hours[hours.length - 1]) - first) / step + 1;
    const width = 940 / span;
    const x = (at) => 10 + ((at - first) / step) * width;
    const max = Math.max(1, ...[...buckets.values()].map((counts) => RULES.reduce((sum, rule) => sum + counts[rule], 0)));
    const ticks = Math.min(8, span);
    const format = new Intl.DateTimeFormat(language, step === hour
      ? { timeZone: 'Asia/Shanghai', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' }
      : { timeZone: 'Asia/Shanghai', month: '2-digit', day: '2-digit' });
    for (let i = 0; i < ticks; i++) {
      const at = first + Math.round((i * (span - 1)) / Math.max(ticks - 1, 1)) * step;
      // the last label ends at the axis' end rather than running past it
      const last = ticks > 1 && i === ticks - 1;
      const label = svg('text', { x: last ? x(at) + width : x(at), y: 186, 'font-size': 10, fill: '#556', 'text-anchor': last ? 'end' : 'start' });
      label.textContent = format.format(new Date(at)) + (step === hour ? t('chart.hour') : '');
      chart.append(label);
    }
    buckets.forEach((counts, at) => {
      let y = 172;
      RULES.forEach((rule) => {
        const count = counts[rule];
        if (!count) return;
        const height = (count / max) * 160;
        y -= height;
        const bar = svg('rect', { x: x(at) + 1, y, width: Math.max(width - 2, 1), height, class: 'rule-' + rule });
        bar.append(svg('title'));
        bar.firstChild.textContent = when(new Date(at).toISOString()) + ' ' + named('rule', rule) + ': ' + num(count);
        chart.append(bar);
      });
    });
    $('#legend').replaceChildren(...RULES.map((rule) => el('span', {}, el('i', { class: 'rule-' + rule }), named('rule', rule))));
  }

  // ------------------------------------------------------------------ one code

  async function openCode(code) {
    const result = await api('/api/codes/' + encodeURIComponent(code));
    $('#case-code').textContent = code;
    $('#case-alerts').replaceChildren(...result.alerts.map((a) =>
      el('p', { class: a.status === 'RETRACTED' ? 'retracted' : '' },
        el('strong', {}, named('rule', a.rule) + (a.cause ? ' · ' + named('cause', a.cause) : '')
          + (a.recall_id ? ' · ' + t('recall', { id: a.recall_id }) : '') + ' · ' + named('alertStatus', a.status) + t('list.colon')),
        explanation(a))));
    const triggers = new Set(result.alerts.map((a) => a.trigger_event_id));
    const events = new Map();
    result.alerts.forEach((a) => a.evidence.forEach((e) => events.set(e.event_id, e)));
    const ordered = [...events.values()].sort((a, b) => Date.parse(a.event_time) - Date.parse(b.event_time)
      || a.event_id.localeCompare(b.event_id));
    $('#case-timeline tbody').replaceChildren(...ordered.map((e) => el('tr',
      { class: triggers.has(e.event_id) ? 'trigger' : '', 'data-event': e.event_id },
      el('td', {}, when(e.event_time)), el('td', {}, named('event', e.event_type)), el('td', {}, e.party_id), el('td', {}, e.region || ''),
      el('td', {}, e.counterparty_id || ''),
      el('td', {}, e.quantity ? t('units', { n: num(e.quantity) }) : (e.pack_size ? t('pack.of', { n: num(e.pack_size) }) : t('pack.whole'))))));
    drawMap(ordered.filter((e) => e.lat !== undefined && e.lon !== undefined), triggers);
    $('#case-view').hidden = false;
    $('#custody tbody').replaceChildren();
    $('#custody-note').textContent = t('custody.asking');
    try {
      const custody = await api('/api/codes/' + encodeURIComponent(code) + '/custody');
      const upstream = new Set(custody.upstream || []);
      $('#custody tbody').replaceChildren(...custody.custody.map((e) => el('tr',
        { class: upstream.has(e.party_id) ? 'upstream' : '', 'data-event': e.event_id },
        el('td', {}, when(e.event_time)), el('td', {}, named('event', e.event_type)), el('td', {}, e.party_id), el('td', {}, e.region || ''),
        el('td', {}, e.counterparty_id || ''))));
      $('#custody-note').textContent = t('custody.summary', { upstream: [...upstream].join(t('list.separator')) || t('custody.none'),
        alerts: num(custody.standing_alerts.length) });
    } catch (error) {
      $('#custody-note').textContent = failure(error);
    }
  }

  /** Scan sites on a small map; scans at one site share a label, and labels stay inside the map. */
  function drawMap(located, triggers) {
    const map = $('#case-map');
    map.replaceChildren();
    if (!located.length) {
      const note = svg('text', { x: 20, y: 120 });
      note.textContent = t('map.none');
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
      $('#case-count').textContent = failure(error);
    }
  }

  async function open() {
    try {
      me = await api('/api/me');
    } catch (error) {
      if (error.status === 401) {
        sessionStorage.removeItem('tracewatch-token');
        showLogin(t('login.refused'));
        return;
      }
      showLogin(failure(error));
      return;
    }
    sessionStorage.setItem('tracewatch-token', token);
    showWho();
    $('#login').hidden = true;
    $('#feed').hidden = false;
    $('#tabs').hidden = false;
    await Promise.all([loadCases(), loadList()]).catch((e) => { $('#case-count').textContent = failure(e); });
    connect();
    drawChart().catch(() => {});
    route();
  }

  function showWho() {
    $('#who').textContent = me.name + ' · ' + me.roles.map((r) => named('role', r)).join(t('list.separator')) + ' · '
      + me.regions.map((r) => (r === '*' ? t('region.all') : r)).join(t('list.separator'));
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
    loadList().catch((e) => { $('#count').textContent = failure(e); });
    connect();
  }));
  CASE_FILTERS.forEach((name) => $('#case-' + name + '-filter').addEventListener('change', () => {
    loadCases().catch((e) => { $('#case-count').textContent = failure(e); });
  }));
  document.querySelectorAll('#case-actions button').forEach((button) =>
    button.addEventListener('click', () => act(button.dataset.action)));
  $('#case-detail-close').addEventListener('click', () => { location.hash = '#/cases'; });
  $('#case-close').addEventListener('click', () => { location.hash = '#/alerts'; });
  window.addEventListener('hashchange', route);
  setInterval(() => { if (!$('#feed').hidden) drawChart().catch(() => {}); }, 10000);
  // English one click away, and back; the choice is remembered on this browser
  $('#language').addEventListener('click', async () => {
    language = language === 'zh-CN' ? 'en' : 'zh-CN';
    localStorage.setItem(LANGUAGE_KEY, language);
    await loadMessages();
    if (!$('#feed').hidden) {
      showWho();
      await Promise.all([loadCases(), loadList()]).catch(() => {});
      drawChart().catch(() => {});
      route();
    }
  });
  loadMessages().catch(() => {}).then(() => { if (token) open(); else showLogin(); });
})();
