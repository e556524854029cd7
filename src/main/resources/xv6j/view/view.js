'use strict';
// xv6j's live view. It listens to /events (server-sent events: one JSON snapshot per
// change, docs/view.md) and draws each one. Plain JavaScript, no framework, no build step.
// The page only reads: nothing here can change the machine.

const $ = id => document.getElementById(id);
const hex = n => '0x' + n.toString(16);
const esc = s => String(s).replace(/[&<>"]/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const PG = 4096;

let snap = null;           // the snapshot on screen
let sel = null;            // the selection: {kind: 'page'|'block'|'proc'|'env'|'cap', ...}
let tableEnv = null;       // whose capability table is shown
const opened = new Set();  // derivation-tree groups the reader opened
let lastRate = null;       // {t, instret[]} for instructions per second

// ---- the stream ----

function connect() {
  const es = new EventSource('events');
  es.onmessage = e => {
    snap = JSON.parse(e.data);
    setStatus(snap.halted ? 'halted' : 'live', snap.halted ? 'halted' : 'live');
    render();
  };
  // After a halt the browser keeps trying to reconnect (every second, as the server asked),
  // so the next boot on the same port is picked up by itself.
  es.addEventListener('halt', () => setStatus('halted', 'halted: the last state is shown until the next boot'));
  es.onerror = () => {
    if (snap && snap.halted) return;
    setStatus('lost', es.readyState === EventSource.CLOSED ? 'disconnected' : 'reconnecting…');
  };
}

function setStatus(cls, text) {
  const s = $('status');
  s.className = 'status ' + cls;
  s.textContent = text;
}

// ---- colours ----

function hue(id) { return (id * 137.508) % 360; }

function ownerColour(o) {
  switch (o.kind) {
    case 'free': return '#e6e6e0';
    case 'kernel': return '#555555';
    case 'pagetable': return `hsl(${hue(o.id)}, 55%, 30%)`;
    case 'records': return `hsl(${hue(o.id)}, 20%, 48%)`;
    case 'shared': return `hsl(${hue(o.id)}, 70%, 45%)`;
    default: return `hsl(${hue(o.id)}, 65%, 62%)`;
  }
}

const ROLE_COLOURS = {
  boot: '#333333', super: '#8a2be2', log: '#e8a33d', inodes: '#3d7ee8', bitmap: '#2bb3a3',
  data: '#5aa05a', free: '#e6e6e0', beyond: '#c9b8e8'
};

const rgbCache = new Map();
let rgbCtx = null;
function rgb(css) {
  let v = rgbCache.get(css);
  if (!v) {
    rgbCtx = rgbCtx || document.createElement('canvas').getContext('2d', { willReadFrequently: true });
    rgbCtx.fillStyle = css;
    rgbCtx.fillRect(0, 0, 1, 1);
    const d = rgbCtx.getImageData(0, 0, 1, 1).data;
    rgbCache.set(css, v = [d[0], d[1], d[2]]);
  }
  return v;
}

// ---- maps: pages and blocks as cells on a canvas ----

function decodeRuns(runs, n) {
  const a = new Int32Array(n);
  let i = 0;
  for (let k = 0; k < runs.length; k += 2) { a.fill(runs[k], i, i + runs[k + 1]); i += runs[k + 1]; }
  return a;
}

// As wide as the page allows (768 px), with the largest cells (up to 8 px) that keep the
// map at most 200 px tall.
function geometry(n) {
  for (const cell of [8, 6, 4, 3, 2]) {
    const cols = Math.floor(768 / cell);
    if (Math.ceil(n / cols) * cell <= 200) return { cols, rows: Math.ceil(n / cols), cell };
  }
  return { cols: 768, rows: Math.ceil(n / 768), cell: 1 };
}

// values may be a prefix of the map (the close-up): indexes are the map's all the same.
function drawMap(canvas, values, colours, lit, g = geometry(values.length)) {
  canvas.width = g.cols * g.cell;
  canvas.height = g.rows * g.cell;
  canvas.geom = g;
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(canvas.width, canvas.height);
  const px = new Uint32Array(img.data.buffer);
  const packed = colours.map(c => {
    const [r, gr, b] = rgb(c);
    const dim = [r, gr, b].map(v => Math.round(v + (255 - v) * 0.78));
    return [(255 << 24) | (b << 16) | (gr << 8) | r, (255 << 24) | (dim[2] << 16) | (dim[1] << 8) | dim[0]];
  });
  for (let i = 0; i < values.length; i++) {
    const c = packed[values[i]] || packed[0];
    const v = lit && !lit.has(i) ? c[1] : c[0];
    const x0 = (i % g.cols) * g.cell, y0 = Math.floor(i / g.cols) * g.cell;
    for (let y = y0; y < y0 + g.cell; y++) px.fill(v, y * canvas.width + x0, y * canvas.width + x0 + g.cell);
  }
  ctx.putImageData(img, 0, 0);
  // A few selected cells also get a ring, so one page among thousands can be found.
  if (lit && lit.size <= 256) {
    ctx.strokeStyle = '#d11';
    ctx.lineWidth = g.cell >= 4 ? 2 : 1;
    for (const i of lit) {
      if (i >= values.length) continue;
      const x = (i % g.cols) * g.cell, y = Math.floor(i / g.cols) * g.cell, pad = g.cell >= 4 ? 1 : 2;
      ctx.strokeRect(x - pad, y - pad, g.cell + 2 * pad, g.cell + 2 * pad);
    }
  }
}

function cellAt(canvas, ev) {
  const g = canvas.geom;
  if (!g) return -1;
  const r = canvas.getBoundingClientRect();
  const x = Math.floor((ev.clientX - r.left) * canvas.width / r.width / g.cell);
  const y = Math.floor((ev.clientY - r.top) * canvas.height / r.height / g.cell);
  return x < 0 || x >= g.cols || y < 0 ? -1 : y * g.cols + x;
}

function tip(ev, text) {
  const t = $('tip');
  if (!text) { t.hidden = true; return; }
  t.hidden = false;
  t.textContent = text;
  t.style.left = (ev.clientX + 12) + 'px';
  t.style.top = (ev.clientY + 12) + 'px';
}

// ---- the snapshot, indexed ----

let ix = null; // what render() derives from snap: owners per page, owner per block, capabilities by key

function index() {
  const m = snap.memory, d = snap.disk;
  ix = {
    pages: decodeRuns(m.map, m.pages),
    blocks: decodeRuns(d.map, d.blocks),
    fileOf: decodeRuns(d.owners, d.blocks),
    files: new Map(d.files.map(f => [f.inum, f])),
    basePpn: m.base / PG,
  };
  if (snap.exo) {
    const x = snap.exo;
    ix.envs = new Map(x.envs.map(e => [e.id, e]));
    ix.caps = new Map(x.caps.map(c => [c.env + '.' + c.handle, c]));
    ix.children = new Map();
    for (const c of x.caps) {
      const p = c.parent ? c.parent[0] + '.' + c.parent[1] : '';
      if (!ix.children.has(p)) ix.children.set(p, []);
      ix.children.get(p).push(c);
    }
  }
  if (snap.xv6) ix.procs = new Map(snap.xv6.procs.map(p => [p.pid, p]));
}

const capKey = c => c.env + '.' + c.handle;

function envName(id) {
  const e = ix.envs && ix.envs.get(id);
  return e && e.name ? `env ${id} (${e.name})` : `env ${id}`;
}

function procName(pid) {
  const p = ix.procs && ix.procs.get(pid);
  return p ? `pid ${pid} (${p.name})` : `pid ${pid}`;
}

// ---- drawing ----

function render() {
  document.body.className = snap.exo ? 'exo' : 'xv6';
  $('kernel').textContent = snap.kernel;
  index();
  renderClock();
  renderHarts();
  renderMemory();
  renderDisk();
  if (snap.xv6) { renderProcs(); renderSyscalls(); }
  if (snap.exo) { renderEnvs(); renderDerivation(); renderCapTable(); renderEvents(); }
  renderConsole();
  renderDetail();
}

function renderClock() {
  const ticks = snap.xv6 ? snap.xv6.ticks : snap.exo.ticks;
  $('clock').textContent = `snapshot ${snap.seq} · tick ${ticks}`;
}

function renderHarts() {
  const now = performance.now();
  const rates = snap.harts.map((h, i) => lastRate && lastRate.instret[i] !== undefined && now > lastRate.t
    ? (h.instret - lastRate.instret[i]) / ((now - lastRate.t) / 1000) : null);
  lastRate = { t: now, instret: snap.harts.map(h => h.instret) };
  $('harts').innerHTML = snap.harts.map((h, i) => {
    const who = h.env !== undefined ? `<a data-env="${h.env}">${esc(h.running)}</a>` :
      h.pid !== undefined ? `<a data-pid="${h.pid}">${esc(h.running)}</a>` : esc(h.running);
    const rate = rates[i] > 5e4 ? ` · ${(rates[i] / 1e6).toFixed(1)} M/s` : "";
    return `<div class="card"><b>hart ${h.id}</b>${who}${h.mode ? ' · ' + esc(h.mode) : ''}
      <div class="mono">pc ${hex(h.pc)}</div><div class="mono">${h.instret.toLocaleString()} instructions${rate}</div></div>`;
  }).join('');
}

function renderMemory() {
  const m = snap.memory;
  const free = m.owners.filter(o => o.kind === 'free').reduce((n, o) => n + o.pages, 0);
  $('memory-sum').textContent = `${m.pages} pages of 4 KiB from ${hex(m.base)}: ${m.pages - free} in use, ${free} free`;
  const colours = m.owners.map(ownerColour), lit = litPages();
  drawMap($('memory'), ix.pages, colours, lit);
  // Both kernels hand out the lowest free page first: the pages in use crowd the start of
  // RAM, so that part is drawn again, larger.
  const freeIx = new Set(m.owners.map((o, i) => o.kind === 'free' ? i : -1));
  let hi = 0;
  for (let i = ix.pages.length - 1; i >= 0; i--) if (!freeIx.has(ix.pages[i])) { hi = i + 1; break; }
  let g = null;
  for (const cell of [8, 6, 4, 3]) {
    const cols = Math.floor(768 / cell), rows = Math.max(4, Math.ceil(hi / cols));
    if (rows * cell <= 200) { g = { cols, rows, cell }; break; }
  }
  const zoom = g ? Math.min(m.pages, g.cols * g.rows) : m.pages;
  $('zoom-wrap').hidden = zoom * 4 > m.pages;
  if (!$('zoom-wrap').hidden) {
    $('zoom-sum').textContent = `close-up: the first ${zoom} pages (${hex(m.base)}..${hex(m.base + zoom * PG - 1)})`;
    drawMap($('memory-zoom'), ix.pages.subarray(0, zoom), colours, lit, g);
  }
  $('memory-legend').innerHTML = m.owners.map((o, i) => o.pages === 0 ? '' :
    `<span data-owner="${i}"><i style="background:${ownerColour(o)}"></i>${esc(o.label)}: ${o.pages}</span>`).join('');
}

function renderDisk() {
  const d = snap.disk;
  const roles = d.roles;
  const count = roles.map(() => 0);
  for (const b of ix.blocks) count[b]++;
  let sum = `${d.blocks} blocks of ${d.blockSize} bytes; ${d.writes.toLocaleString()} written, ${d.reads.toLocaleString()} read since boot`;
  if (d.logPending) sum += `; ${d.logPending} committed in the log, not yet installed`;
  if (d.error) sum += `; caught mid-write: ${d.error}`;
  $('disk-sum').textContent = sum;
  drawMap($('disk'), ix.blocks, roles.map(r => ROLE_COLOURS[r]), litBlocks());
  const beyond = snap.exo ? 'beyond the file system (kv\u2019s store)' : 'beyond the file system';
  $('disk-legend').innerHTML = roles.map((r, i) => count[i] === 0 ? '' :
    `<span><i style="background:${ROLE_COLOURS[r]}"></i>${r === 'beyond' ? beyond : r}: ${count[i]}</span>`).join('');
}

function renderProcs() {
  const rows = snap.xv6.procs.map(p => {
    const o = snap.memory.owners.find(o => o.kind === 'user' && o.id === p.pid);
    const st = p.state + (p.waitsOn ? ` (${p.waitsOn})` : '') + (p.killed ? ', killed' : '') + (p.cpu >= 0 ? ` on hart ${p.cpu}` : '');
    const isSel = sel && sel.kind === 'proc' && sel.pid === p.pid;
    return `<tr data-pid="${p.pid}" class="${isSel ? 'sel' : ''}"><td><span class="swatch" style="background:${o ? ownerColour(o) : '#ccc'}"></span>${p.pid}</td>
      <td>${esc(p.name)}</td><td>${esc(st)}</td><td>${p.parent || ''}</td><td class="mono">${(p.sz / 1024).toFixed(0)} KiB</td>
      <td>${p.pages} + ${p.tablePages}</td><td>${p.files.length}</td></tr>`;
  });
  $('procs').innerHTML = `<thead><tr><th>pid</th><th>name</th><th>state</th><th>parent</th><th>size</th><th>pages + tables</th><th>files</th></tr></thead><tbody>${rows.join('')}</tbody>`;
}

function renderSyscalls() {
  const calls = snap.xv6.syscalls.filter(s => s.count > 0);
  const max = Math.max(1, ...calls.map(s => s.count));
  $('syscalls').innerHTML = calls.map(s =>
    `<span>${esc(s.name)}</span><span class="bar" style="width:${(100 * s.count / max).toFixed(1)}%"></span><span class="n">${s.count.toLocaleString()}</span>`).join('')
    || '<span class="hint">none yet</span>';
}

function renderConsole() {
  const pre = $('console');
  const atEnd = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
  let out = [];
  for (const ch of snap.console.text) {
    if (ch === '\b') out.pop();
    else if (ch !== '\r') out.push(ch);
  }
  pre.textContent = out.join('');
  if (atEnd) pre.scrollTop = pre.scrollHeight;
}

// ---- kernel-exo ----

const RIGHTS = ['r', 'w', 'x', 'g', 'v'];
const rights = r => RIGHTS.map((c, i) => (r & (1 << i)) ? c : '-').join('');

function names(c) {
  switch (c.type) {
    case 'page': return `page ${hex(c.first * PG)}`;
    case 'memory': return `pages ${hex(c.first * PG)}..${hex((c.first + c.count) * PG - 1)}` +
      (c.quota ? `, quota ${c.quota.used} of ${c.quota.limit} pages used` : '');
    case 'blocks': return `blocks ${c.first}..${c.first + c.count - 1}`;
    case 'env': return envName(c.target);
    default: return '';
  }
}

// An indented tree drawn in SVG: rows of text with elbow edges from parent to child.
function drawTree(svg, rows, selected) {
  const H = 18, W = 16;
  const out = [];
  rows.forEach((r, i) => {
    const y = i * H;
    if (r.parentRow !== undefined) {
      const py = r.parentRow * H + H - 4, x = r.depth * W - W / 2;
      out.push(`<path class="edge" d="M${x} ${py}V${y + H / 2}h${W / 2 - 2}"/>`);
    }
    const cls = 'row' + (selected(r) ? ' sel' : '');
    out.push(`<g class="${cls}" ${r.attrs}><rect class="bg" x="0" y="${y}" width="100%" height="${H}"/>` +
      `<text x="${r.depth * W + 2}" y="${y + 13}">${r.html}</text></g>`);
  });
  svg.setAttribute('height', Math.max(H, rows.length * H));
  svg.innerHTML = out.join('');
}

function renderEnvs() {
  const envs = snap.exo.envs;
  const kids = new Map();
  for (const e of envs) {
    const p = ix.envs.has(e.parent) ? e.parent : 0;
    if (!kids.has(p)) kids.set(p, []);
    kids.get(p).push(e);
  }
  const rows = [];
  const walk = (id, depth, parentRow) => {
    for (const e of kids.get(id) || []) {
      const colour = ownerColour({ kind: 'page', id: e.id });
      const bits = [e.state + (e.waitsFor ? ` (${e.waitsFor})` : '')];
      if (e.hart >= 0) bits.push(`on hart ${e.hart}`);
      else if (!e.cpu && e.state !== 'exited') bits.push('no CPU');
      if (e.callee) bits.push(`calls env ${e.callee}`);
      if (e.caller) bits.push(`serves env ${e.caller}`);
      if (e.pct) bits.push(`PCT ${e.pct.policy}`);
      if (e.upcalls.length) bits.push('upcalls ' + e.upcalls.join(','));
      bits.push(`${e.caps} caps`, `${e.mappings} mapped`);
      const html = `<tspan fill="${colour}">\u25a0</tspan> <tspan font-weight="bold">${esc(envName(e.id))}</tspan> ` +
        `<tspan class="dim">${esc(bits.join(' · '))}</tspan>`;
      rows.push({ depth, parentRow, html, attrs: `data-env="${e.id}"`, env: e.id });
      walk(e.id, depth + 1, rows.length - 1);
    }
  };
  walk(0, 0, undefined);
  drawTree($('envs'), rows, r => sel && sel.kind === 'env' && sel.id === r.env);
}

const GROUP = 6;   // more children of one type in one environment than this are folded into a row
const MAX_ROWS = 2000;

function renderDerivation() {
  const rows = [];
  // The selected capability's ancestors stay open, wherever they are.
  const keep = new Set();
  if (sel && sel.kind === 'cap') for (let c = ix.caps.get(sel.key); c; c = c.parent && ix.caps.get(c.parent[0] + '.' + c.parent[1])) keep.add(capKey(c));
  const walk = (key, depth, parentRow) => {
    const kids = (ix.children.get(key) || []).slice().sort((a, b) => a.env - b.env || a.handle - b.handle);
    const groups = new Map();
    for (const c of kids) {
      const g = c.type + '@' + c.env;
      if (!groups.has(g)) groups.set(g, []);
      groups.get(g).push(c);
    }
    for (const [g, cs] of groups) {
      const gid = key + '|' + g;
      // Many capabilities of one type in one environment: those with nothing derived from
      // them are folded into one row (a process's pages), the others stay in the tree.
      const fold = cs.length > GROUP && !opened.has(gid);
      const folded = fold ? cs.filter(c => !ix.children.has(capKey(c)) && !keep.has(capKey(c))) : [];
      for (const c of cs) {
        if (folded.includes(c)) continue;
        if (rows.length >= MAX_ROWS) {
          rows.push({ depth, parentRow, attrs: '', html: '<tspan class="dim">… more (select a capability to open its branch)</tspan>' });
          return;
        }
        const colour = ownerColour({ kind: 'page', id: c.env });
        let html = `<tspan fill="${colour}">\u25a0</tspan> <tspan font-weight="bold">${c.type.toUpperCase()}</tspan> ` +
          `${esc(envName(c.env))} h${c.handle} <tspan class="dim">${rights(c.rights)} ${esc(names(c))}</tspan>`;
        if (c.mappings.length) {
          const shown = c.mappings.slice(0, 3).map(m => `\u21a6 ${hex(m[0])} ${m[1]}`).join('  ');
          html += ` <tspan class="map">${esc(shown)}${c.mappings.length > 3 ? ' +' + (c.mappings.length - 3) : ''}</tspan>`;
        }
        const refold = cs.length > GROUP && opened.has(gid) ? ` data-fold="${esc(gid)}"` : '';
        rows.push({ depth, parentRow, html, attrs: `data-cap="${capKey(c)}"${refold}`, key: capKey(c) });
        walk(capKey(c), depth + 1, rows.length - 1);
      }
      if (folded.length) {
        const c = folded[0];
        rows.push({ depth, parentRow, attrs: `data-group="${esc(gid)}"`,
          html: `<tspan class="group">\u25b8 ${folded.length} more ${c.type} capabilities of ${esc(envName(c.env))}</tspan> ` +
            `<tspan class="dim">with nothing derived from them (open)</tspan>` });
      }
    }
  };
  walk('', 0, undefined);
  drawTree($('derivation'), rows, r => r.key && isSelectedCap(r.key));
}

function isSelectedCap(key) {
  if (!sel) return false;
  if (sel.kind === 'cap') return sel.key === key;
  return false;
}

function renderCapTable() {
  const envs = snap.exo.envs.filter(e => e.caps > 0);
  if (tableEnv === null || !ix.envs.has(tableEnv)) tableEnv = envs.length ? envs[0].id : null;
  const s = $('captable-env');
  s.innerHTML = envs.map(e => `<option value="${e.id}" ${e.id === tableEnv ? 'selected' : ''}>${esc(envName(e.id))}</option>`).join('');
  const caps = snap.exo.caps.filter(c => c.env === tableEnv).sort((a, b) => a.handle - b.handle);
  const rows = caps.map(c => {
    const isSel = sel && sel.kind === 'cap' && sel.key === capKey(c);
    const from = c.parent ? `${envName(c.parent[0])} h${c.parent[1]}` : '(root)';
    const kids = (ix.children.get(capKey(c)) || []).length;
    return `<tr data-cap="${capKey(c)}" class="${isSel ? 'sel' : ''}"><td>${c.handle}</td><td>${c.type}</td><td class="mono">${rights(c.rights)}</td>
      <td>${esc(names(c))}</td><td>${esc(from)}</td><td>${kids || ''}</td><td class="mono">${c.mappings.map(m => hex(m[0])).join(' ')}</td></tr>`;
  });
  $('captable').innerHTML = `<thead><tr><th>handle</th><th>type</th><th>rights</th><th>names</th><th>derived from</th><th>derived</th><th>mapped at</th></tr></thead><tbody>${rows.join('')}</tbody>`;
}

function renderEvents() {
  const evs = snap.exo.events.slice().reverse();
  $('events').innerHTML = evs.map(e =>
    `<li class="${e.kind.split('-')[0]}" value="${e.seq}">tick ${e.tick} · ${esc(e.text)}</li>`).join('') || '<li class="hint">none yet</li>';
}

// ---- selection: everything that refers to it ----

function litPages() {
  if (!sel) return null;
  const lit = new Set();
  const addPa = pa => { const i = (pa - snap.memory.base) / PG; if (i >= 0 && i < snap.memory.pages) lit.add(i); };
  if (sel.kind === 'page') lit.add(sel.page);
  else if (sel.kind === 'proc' && snap.xv6) {
    const p = ix.procs.get(sel.pid);
    if (!p) return null;
    for (const [, pa, n] of p.memory) for (let k = 0; k < n; k++) addPa(pa + k * PG);
    for (const t of p.tables) addPa(t);
  } else if (sel.kind === 'env' && snap.exo) {
    snap.memory.owners.forEach((o, i) => { if (o.id === sel.id && o.kind !== 'free') ix.pages.forEach((v, p) => { if (v === i) lit.add(p); }); });
    for (const c of snap.exo.caps) if (c.env === sel.id && c.type === 'page') lit.add(c.first - ix.basePpn);
  } else if (sel.kind === 'cap' && snap.exo) {
    const c = ix.caps.get(sel.key);
    if (!c) return null;
    if (c.type === 'page') lit.add(c.first - ix.basePpn);
    else if (c.type === 'memory') for (let k = 0; k < c.count; k++) lit.add(c.first - ix.basePpn + k);
    else return null;
  } else if (sel.kind === 'owner') {
    ix.pages.forEach((v, p) => { if (v === sel.owner) lit.add(p); });
  } else return null;
  return lit;
}

function litBlocks() {
  if (!sel) return null;
  const lit = new Set();
  if (sel.kind === 'block') {
    lit.add(sel.block);
    const f = ix.fileOf[sel.block];
    if (f) ix.fileOf.forEach((v, b) => { if (v === f) lit.add(b); });
  } else if (sel.kind === 'cap' && snap.exo) {
    const c = ix.caps.get(sel.key);
    if (!c || c.type !== 'blocks') return null;
    for (let b = c.first; b < c.first + c.count && b < ix.blocks.length; b++) lit.add(b);
  } else if (sel.kind === 'env' && snap.exo) {
    for (const c of snap.exo.caps) if (c.env === sel.id && c.type === 'blocks')
      for (let b = c.first; b < c.first + c.count && b < ix.blocks.length; b++) lit.add(b);
    if (!lit.size) return null;
  } else return null;
  return lit;
}

const link = (attr, v, text) => `<a ${attr}="${esc(v)}">${esc(text)}</a>`;
const capLink = c => link('data-cap', capKey(c), `${envName(c.env)} h${c.handle}`);
const dl = pairs => '<dl>' + pairs.filter(p => p[1] !== '' && p[1] !== undefined).map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('') + '</dl>';
const list = (title, items) => items.length ? `<h3>${title}</h3><ul>${items.map(i => `<li>${i}</li>`).join('')}</ul>` : '';

function renderDetail() {
  const body = $('detail-body');
  if (!sel) return;
  let html = '';
  switch (sel.kind) {
    case 'page': html = pageDetail(sel.page); break;
    case 'block': html = blockDetail(sel.block); break;
    case 'proc': html = procDetail(sel.pid); break;
    case 'env': html = envDetail(sel.id); break;
    case 'cap': html = capDetail(sel.key); break;
    case 'owner': html = ownerDetail(sel.owner); break;
  }
  body.innerHTML = html || '<p class="hint">gone: it no longer exists in the machine</p>';
}

function pageDetail(i) {
  if (i >= snap.memory.pages) return '';
  const pa = snap.memory.base + i * PG;
  const o = snap.memory.owners[ix.pages[i]];
  let html = `<h3>page ${hex(pa)}</h3>` + dl([['page number', hex(pa / PG)], ['held by', esc(o.label)]]);
  if (snap.xv6) {
    const maps = [];
    for (const p of snap.xv6.procs) {
      for (const [va, base, n, flags] of p.memory) if (pa >= base && pa < base + n * PG)
        maps.push(`${link('data-pid', p.pid, procName(p.pid))} maps it at ${hex(va + (pa - base))} (${pteFlags(flags)})`);
      if (p.tables.includes(pa)) maps.push(`a page of ${link('data-pid', p.pid, procName(p.pid))}'s page table`);
    }
    html += list('Referred to by', maps);
  } else {
    const ppn = pa / PG;
    const caps = snap.exo.caps.filter(c => c.type === 'page' && c.first === ppn);
    const ranges = snap.exo.caps.filter(c => c.type === 'memory' && ppn >= c.first && ppn < c.first + c.count);
    html += list('Capabilities naming it', caps.map(c => `${capLink(c)} ${rights(c.rights)}`));
    html += list('Mappings (secure bindings)', caps.flatMap(c => c.mappings.map(m =>
      `${link('data-env', c.env, envName(c.env))} at ${hex(m[0])} ${m[1]}, through h${c.handle}`)));
    html += list('Memory capabilities covering it', ranges.map(c => `${capLink(c)} ${rights(c.rights)}`));
  }
  return html;
}

function pteFlags(f) {
  return (f & 2 ? 'r' : '-') + (f & 4 ? 'w' : '-') + (f & 8 ? 'x' : '-') + (f & 16 ? 'u' : '-');
}

function blockDetail(b) {
  const d = snap.disk;
  if (b >= d.blocks) return '';
  const role = d.roles[ix.blocks[b]];
  const inum = ix.fileOf[b];
  const f = inum ? ix.files.get(inum) : null;
  let html = `<h3>block ${b}</h3>` + dl([['role', role], ['file', f ? `${esc(f.path || '(no path)')}, inode ${inum}, ${f.type}, ${f.size} bytes, ${f.blocks} blocks` : '']]);
  if (snap.exo) {
    const caps = snap.exo.caps.filter(c => c.type === 'blocks' && b >= c.first && b < c.first + c.count);
    html += list('Block capabilities covering it', caps.map(c => `${capLink(c)} ${rights(c.rights)} ${esc(names(c))}`));
  }
  return html;
}

function procDetail(pid) {
  const p = ix.procs.get(pid);
  if (!p) return '';
  const kids = snap.xv6.procs.filter(q => q.parent === pid).map(q => link('data-pid', q.pid, procName(q.pid)));
  return `<h3>${esc(procName(pid))}</h3>` + dl([
    ['state', esc(p.state + (p.waitsOn ? ', waiting for ' + p.waitsOn : '') + (p.killed ? ', killed' : ''))],
    ['parent', p.parent ? link('data-pid', p.parent, procName(p.parent)) : ''],
    ['size', `${p.sz} bytes`], ['pages', `${p.pages} of memory, ${p.tablePages} of page table`],
    ['hart', p.cpu >= 0 ? p.cpu : '']]) +
    list('Children', kids) +
    list('Open files', p.files.map(f => `fd ${f.fd}: ${esc(f.what)}${f.inum && ix.files.get(f.inum) ? ' ' + esc(ix.files.get(f.inum).path) : ''} ` +
      `(${f.readable ? 'r' : ''}${f.writable ? 'w' : ''}${f.what.startsWith('inode') ? ', offset ' + f.offset : ''})`)) +
    list('Memory (virtual \u2192 physical)', p.memory.map(([va, pa, n, fl]) => `${hex(va)} \u2192 ${hex(pa)}, ${n} page${n > 1 ? 's' : ''} ${pteFlags(fl)}`));
}

function envDetail(id) {
  const e = ix.envs.get(id);
  if (!e) return '';
  const caps = snap.exo.caps.filter(c => c.env === id);
  const byType = {};
  for (const c of caps) byType[c.type] = (byType[c.type] || 0) + 1;
  const namedBy = snap.exo.caps.filter(c => c.type === 'env' && c.target === id && c.env !== id);
  const kids = snap.exo.envs.filter(k => k.parent === id).map(k => link('data-env', k.id, envName(k.id)));
  return `<h3>${esc(envName(id))}</h3>` + dl([
    ['state', esc(e.state + (e.waitsFor ? ', waiting for ' + e.waitsFor : '') + (e.state === 'exited' ? `, status ${e.status}` : ''))],
    ['parent', e.parent && ix.envs.has(e.parent) ? link('data-env', e.parent, envName(e.parent)) : e.parent ? `env ${e.parent} (gone)` : ''],
    ['LibOS', e.pid !== undefined && e.pid !== null ? `pid ${e.pid}, ${esc(e.name)}` : ''],
    ['hart', e.hart >= 0 ? e.hart : ''],
    ['call', e.callee ? 'calls ' + link('data-env', e.callee, envName(e.callee)) : e.caller ? 'serves ' + link('data-env', e.caller, envName(e.caller)) : ''],
    ['PCT entry', e.pct ? `${hex(e.pct.entry)}, accepts ${e.pct.policy === 'known' ? 'environments it holds a CAP_ENV for' : 'any caller with CAP_X'}` : ''],
    ['upcalls', e.upcalls.join(', ')],
    ['pending events', e.events.join(', ')],
    ['CPU', e.cpu ? `holds a CPU capability; time slice ${e.slice} tick${e.slice > 1 ? 's' : ''}` : 'holds no CPU capability: it cannot run'],
    ['capabilities', Object.entries(byType).map(([t, n]) => `${n} ${t}`).join(', ')],
    ['memory', `${e.mappings} pages mapped, ${e.tablePages} page-table pages, ${e.recordPages} pages of kernel records`],
    ['paid by', e.payer ? capLink(ix.caps.get(e.payer[0] + '.' + e.payer[1]) || { env: e.payer[0], handle: e.payer[1] }) +
      ' (its quota pays for this environment\u2019s kernel memory)' : '']]) +
    list('Children', kids) +
    list('Named by (CAP_ENV)', namedBy.map(c => `${capLink(c)} ${rights(c.rights)}`));
}

function capDetail(key) {
  const c = ix.caps.get(key);
  if (!c) return '';
  const chain = [];
  for (let p = c.parent; p; ) {
    const pc = ix.caps.get(p[0] + '.' + p[1]);
    if (!pc) break;
    chain.push(`${capLink(pc)} ${pc.type} ${rights(pc.rights)}`);
    p = pc.parent;
  }
  const kids = ix.children.get(key) || [];
  let below = 0;
  const count = k => { for (const d of ix.children.get(k) || []) { below++; count(capKey(d)); } };
  count(key);
  return `<h3>${c.type.toUpperCase()} ${esc(envName(c.env))} h${c.handle}</h3>` + dl([
    ['holder', link('data-env', c.env, envName(c.env))], ['rights', rights(c.rights)], ['names', esc(names(c)) || c.type],
    ['derived', `${kids.length} directly, ${below} in all: what caprevoke would remove`]]) +
    list('Derived from (up to the root)', chain) +
    list('Derived from it', kids.map(d => `${capLink(d)} ${d.type} ${rights(d.rights)}`)) +
    list('Mappings through it', c.mappings.map(m => `${link('data-env', c.env, envName(c.env))} at ${hex(m[0])} ${m[1]}`));
}

function ownerDetail(i) {
  const o = snap.memory.owners[i];
  if (!o) return '';
  return `<h3>${esc(o.label)}</h3>` + dl([['kind', o.kind], ['pages', o.pages]]) +
    (o.id !== undefined && snap.xv6 && o.kind !== 'free' ? `<p>${link('data-pid', o.id, procName(o.id))}</p>` : '') +
    (o.id !== undefined && snap.exo && o.kind !== 'free' ? `<p>${link('data-env', o.id, envName(o.id))}</p>` : '');
}

function select(s) {
  sel = s;
  if (s && s.kind === 'env' && snap && snap.exo) tableEnv = s.id;
  if (s && s.kind === 'cap' && snap && snap.exo) { const c = ix.caps.get(s.key); if (c) tableEnv = c.env; }
  if (snap) render();
}

// ---- input ----

function onClick(ev) {
  const t = ev.target.closest('[data-pid],[data-env],[data-cap],[data-group],[data-owner]');
  if (!t) return;
  if (t.dataset.group) { opened.add(t.dataset.group); render(); return; }
  if (t.dataset.cap) {
    if (ev.detail === 2 && t.dataset.fold) { opened.delete(t.dataset.fold); render(); return; }
    select({ kind: 'cap', key: t.dataset.cap });
  } else if (t.dataset.env) select({ kind: 'env', id: +t.dataset.env });
  else if (t.dataset.pid) select({ kind: 'proc', pid: +t.dataset.pid });
  else if (t.dataset.owner) select({ kind: 'owner', owner: +t.dataset.owner });
}

function mapInput(canvas, kind) {
  canvas.addEventListener('mousemove', ev => {
    if (!snap) return;
    const i = cellAt(canvas, ev);
    if (kind === 'page') {
      if (i < 0 || i >= snap.memory.pages) return tip(ev, null);
      tip(ev, `${hex(snap.memory.base + i * PG)}: ${snap.memory.owners[ix.pages[i]].label}`);
    } else {
      if (i < 0 || i >= snap.disk.blocks) return tip(ev, null);
      const f = ix.files.get(ix.fileOf[i]);
      tip(ev, `block ${i}: ${snap.disk.roles[ix.blocks[i]]}${f ? ' · ' + (f.path || 'inode ' + f.inum) : ''}`);
    }
  });
  canvas.addEventListener('mouseleave', ev => tip(ev, null));
  canvas.addEventListener('click', ev => {
    if (!snap) return;
    const i = cellAt(canvas, ev);
    const n = kind === 'page' ? snap.memory.pages : snap.disk.blocks;
    if (i >= 0 && i < n) select(kind === 'page' ? { kind: 'page', page: i } : { kind: 'block', block: i });
  });
}

document.addEventListener('DOMContentLoaded', () => {
  document.body.addEventListener('click', onClick);
  mapInput($('memory'), 'page');
  mapInput($('memory-zoom'), 'page');
  mapInput($('disk'), 'block');
  $('captable-env').addEventListener('change', ev => { tableEnv = +ev.target.value; render(); });
  document.addEventListener('keydown', ev => { if (ev.key === 'Escape') { sel = null; $('detail-body').innerHTML = ''; if (snap) render(); } });
  connect();
});
