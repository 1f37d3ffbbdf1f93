// The form of dashi serve: built from the data file's schema, in the order the file
// writes its fields; every edit is checked on the server by the rules of `dashi check`.
'use strict';

const TOP = ['filled_on', 'studio', 'unit', 'master', 'members', 'plan', 'proposal',
  'recommendation', 'evidence', 'print'];
const HIDDEN = new Set(['$schema', 'format_version']);
const LONG = new Set(['facilities', 'statement', 'content', 'result', 'necessity', 'introduction',
  'conditions_and_goals', 'host_base', 'policies', 'education_fund_use', 'support', 'opinion',
  'report', 'employer_and_title', 'address']);

const state = {
  schema: null, data: null, base: null, order: {}, version: '', vocab: {}, timer: null, dirty: false, gone: false,
  pages: [], previewing: false, again: false,
};

async function api(method, url, body) {
  const init = { method, headers: {} };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url, init);
  } catch (_) {
    gone();
    return { ok: false, status: 0, body: { message: '无法连接 dashi serve：它可能已经停止' } };
  }
  let answer = {};
  try { answer = await response.json(); } catch (_) { /* not JSON */ }
  return { ok: response.ok, status: response.status, body: answer };
}

// The server is asked every second whether it is there: a stopped dashi serve is said
// within two seconds, and the page's edits stay (in the page and in the browser).
const GONE = '与 dashi 的连接断开了（dashi serve 已停止）。本页的修改都还在，也已存入浏览器。请重新运行 dashi serve，然后按“重新连接”。';

function gone() {
  if (state.gone) return;
  state.gone = true;
  document.body.classList.add('offline');
  banner(GONE, reconnect, '重新连接');
  status('未连接');
  // And it keeps trying by itself, whatever else happens on the page meanwhile.
  clearInterval(state.retry);
  state.retry = setInterval(() => reconnect(true), 2000);
}

async function heartbeat() {
  if (state.dirty) remember();
  if (state.gone) return;
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), 900);
  try {
    const r = await fetch('/api/ping', { signal: stop.signal });
    if (!r.ok && r.status !== 403) throw new Error(String(r.status));
  } catch (_) {
    gone();
  } finally {
    clearTimeout(timer);
  }
}

// Back to a server (dashi serve run again keeps its address): the page's edits stay;
// if the file changed meanwhile, they can be merged into it.
async function reconnect(quiet) {
  if (!state.gone) return;
  let answer;
  try {
    const r = await fetch('/api/data');
    if (!r.ok) throw new Error(String(r.status));
    answer = await r.json();
  } catch (_) {
    const to = movedTo();
    if (to) offerMove(to);
    else if (quiet !== true) banner(GONE + '（仍未连接上，本页会继续自动重试）', reconnect, '重新连接');
    return;
  }
  if (!state.gone) return;
  clearInterval(state.retry);
  state.gone = false;
  document.body.classList.remove('offline');
  if (!state.dirty) { load({ body: answer }); return; }
  if (answer.version === state.version) {
    banner('已重新连接，本页的修改都还在，按“保存”即可保存。');
    changed();
  } else {
    offerMerge(answer, '已重新连接。数据文件在断开期间被改动过：');
  }
}

// Where dashi serve went when another program took this page's address: the new run
// leaves a cookie naming its port (a cookie is the host's, whatever the port).
function movedTo() {
  const found = document.cookie.match(new RegExp(`(?:^|; )dashi_where_${location.port}=(\\d+)`));
  return found && found[1] !== location.port ? found[1] : null;
}

// Offers to go to the new address with this page's edits: they travel in the tab
// (window.name) and are offered back there like edits kept in the browser.
function offerMove(to) {
  if (state.movedTo === to) return;
  state.movedTo = to;
  banner(`dashi serve 已在新地址 http://127.0.0.1:${to}/ 运行（本页原来的地址被其他程序占用了）。`, () => {
    window.name = JSON.stringify({
      dashiCarried: true, data: state.data, base: state.base, version: state.version, at: Date.now(),
    });
    state.dirty = false;
    location.href = `http://127.0.0.1:${to}/`;
  }, '带着本页的修改转到新地址');
}

// Edits carried here from the page at an old address, kept like a closed tab's.
function adoptCarried() {
  let carried = null;
  try { carried = JSON.parse(window.name || 'null'); } catch (_) { carried = null; }
  if (!carried || carried.dashiCarried !== true) return;
  window.name = '';
  try {
    localStorage.setItem(`${filePrefix()}carried-${Date.now()}`, JSON.stringify({
      data: carried.data, base: carried.base, version: carried.version, at: carried.at, alive: 0,
    }));
  } catch (_) { /* storage off: nothing to offer */ }
}

// The form's words for a place in the data (`members[1].name`): the field's label,
// after the list item it is in.
function nameOf(path) {
  const place = placeOf(path);
  if (!place) return '（已不在表中的一项）';
  const own = place.matches('fieldset') ? place.querySelector(':scope > legend') : place.querySelector(':scope > label');
  const item = place.parentElement && place.parentElement.closest('fieldset');
  const outer = item && item.querySelector(':scope > legend');
  const words = [outer && outer !== own ? outer.textContent : '', own ? own.textContent : ''];
  return words.filter((w) => w).join(' · ');
}

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

// A schema node with its $ref followed; a property's own title and help are kept.
function resolve(node) {
  if (!node) return {};
  let out = Object.assign({}, node);
  while (out.$ref) {
    const def = state.schema.$defs[out.$ref.split('/').pop()];
    const own = Object.assign({}, out);
    delete own.$ref;
    out = Object.assign({}, def, own);
  }
  // `["string", "null"]`: an optional value of one type.
  if (Array.isArray(out.type)) {
    out.nullable = out.type.includes('null');
    out.type = out.type.find((t) => t !== 'null');
  }
  if (out.anyOf) {
    const real = out.anyOf.find((n) => n.type !== 'null');
    const nullable = out.anyOf.some((n) => n.type === 'null');
    const own = Object.assign({}, out);
    delete own.anyOf;
    out = Object.assign(resolve(real), own, { nullable });
  }
  return out;
}

function refName(node) {
  return node && node.$ref ? node.$ref.split('/').pop() : null;
}

function blank(node) {
  const n = resolve(node);
  if (n.nullable) return null;
  if (n.enum) return n.enum[0];
  if (n.type === 'object') {
    const o = {};
    for (const k of n.required || []) o[k] = blank(n.properties[k]);
    return o;
  }
  if (n.type === 'array') return [];
  if (n.type === 'integer' || n.type === 'number') return 0;
  if (n.type === 'boolean') return false;
  return '';
}

// Fields of an object in the file's order, then those the file does not have.
function keysOf(node, value, generic) {
  const known = state.order[generic] || [];
  const props = Object.keys(node.properties || {});
  const keys = known.filter((k) => props.includes(k));
  for (const k of props) if (!keys.includes(k)) keys.push(k);
  for (const k of Object.keys(value || {})) if (!keys.includes(k)) keys.push(k);
  return keys;
}

function generic(path) {
  return path.replace(/\[\d+\]/g, '[]');
}

// An edit: the preview is laid out again at once (one layout at a time, the newest
// data when it ends); the rules run when typing pauses.
function changed() {
  state.dirty = true;
  remember();
  document.getElementById('save').disabled = false;
  status('有未保存的修改');
  preview();
  clearTimeout(state.timer);
  state.timer = setTimeout(check, 200);
}

function status(text) {
  document.getElementById('status').textContent = text;
}

function labelOf(node, key) {
  return node.title || node.description || key;
}

function field(node, key, path, holder) {
  const n = resolve(node);
  const value = holder[key];
  const id = 'f-' + path.replace(/[^\w]/g, '_');
  const wrap = el('div', { class: 'field', 'data-path': path });
  const title = labelOf(n, key);
  // An optional field left empty is not written at all.
  const set = (v) => { holder[key] = (n.nullable && v === '') ? null : v; changed(); };
  if (n.type === 'object') {
    return group(node, key, path, holder);
  }
  if (n.type === 'array' && n.items && resolve(n.items).type === 'object') {
    return list(node, key, path, holder);
  }
  wrap.append(el('label', { for: id }, title));
  if (n.description && n.title) wrap.append(el('span', { class: 'help' }, n.description));
  let input;
  const vocab = state.vocab[key];
  const memberOf = /^evidence\[\d+\]\.member$/.test(path);
  if (memberOf) {
    // An evidence entry's 成员: one of the members, as the member list names them.
    const names = (state.data.members || []).map((m) => m.name).filter((x) => x);
    input = el('select', { id, onchange: (e) => set(e.target.value) });
    input.append(el('option', { value: '' }, '（不是成员的材料）'));
    if (value && !names.includes(value)) input.append(el('option', { value, selected: true }, value));
    for (const name of names) input.append(el('option', { value: name, selected: name === value }, name));
  } else if (n.enum || vocab) {
    const options = n.enum || vocab;
    input = el('select', { id, onchange: (e) => set(e.target.value) });
    if (!options.includes(value)) input.append(el('option', { value: value ?? '' }, value || '（请选择）'));
    for (const o of options) input.append(el('option', { value: o, selected: o === value }, o));
  } else if (n.type === 'boolean' && n.nullable) {
    input = el('select', { id, onchange: (e) => set(e.target.value === '' ? null : e.target.value === 'true') });
    for (const [v, text] of [['', '（不填）'], ['true', '是'], ['false', '否']]) {
      input.append(el('option', { value: v, selected: String(value ?? '') === v }, text));
    }
  } else if (n.type === 'boolean') {
    input = el('input', { id, type: 'checkbox', checked: !!value, onchange: (e) => set(e.target.checked) });
  } else if (n.type === 'integer' || n.type === 'number') {
    // Only a number is stored: an emptied box leaves the field out (the findings then
    // say it is missing), and what the box cannot read as a number is not stored.
    const note = el('span', { class: 'input-note', role: 'alert' });
    // Browsers refuse words in a number box, often silently, so the box is read again
    // when it changes or loses focus, not only as keys come.
    const take = (e) => {
      const box = e.target;
      note.textContent = '';
      if (box.validity.badInput) {
        note.textContent = '这里只能填阿拉伯数字（例如 320），这次输入没有保存';
        return;
      }
      if (box.value === '') {
        note.textContent = '这一项现在是空的：请填阿拉伯数字（例如 320）';
        if (holder[key] === undefined || holder[key] === null) return;
        if (n.nullable) { set(''); } else { delete holder[key]; changed(); }
        return;
      }
      if (holder[key] !== Number(box.value)) set(Number(box.value));
    };
    input = el('input', {
      id, type: 'number', step: n.type === 'integer' ? '1' : 'any', value: value ?? '',
      oninput: take, onchange: take, onblur: take,
    });
    wrap.append(input, note);
    return wrap;
  } else if (n.type === 'array') {
    // Items apart by commas, 顿号, semicolons or spaces, as people type lists.
    input = el('input', {
      id, type: 'text', value: (value || []).join('，'),
      oninput: (e) => set(e.target.value.split(/[,，、;；\s]+/).filter((s) => s).map((s) => (isNaN(Number(s)) ? s : Number(s)))),
    });
  } else if (refName(node) === 'Date' || (n.pattern || '').includes('-(0[1-9]|[12]')) {
    input = el('input', { id, type: 'date', value: value || '', oninput: (e) => set(e.target.value) });
  } else if (refName(node) === 'YearMonth' || (n.pattern || '').endsWith('-(0[1-9]|1[0-2])$')) {
    input = el('input', { id, type: 'month', value: value || '', oninput: (e) => set(e.target.value) });
  } else if (LONG.has(key) || String(value || '').length > 60 || String(value || '').includes('\n')) {
    const count = el('span', { class: 'count', 'data-count': path });
    const counted = (text) => { count.textContent = `${[...text].length} 字，${text.split('\n').length} 行`; };
    input = el('textarea', { id, oninput: (e) => { counted(e.target.value); set(e.target.value); } });
    input.value = value || '';
    counted(input.value);
    wrap.append(input, count);
    return wrap;
  } else {
    input = el('input', { id, type: 'text', value: value ?? '', oninput: (e) => set(e.target.value) });
  }
  wrap.append(input);
  return wrap;
}

function group(node, key, path, holder) {
  const n = resolve(node);
  const box = el('fieldset', { 'data-path': path });
  box.append(el('legend', {}, labelOf(n, key)));
  if (n.title && n.description) box.append(el('span', { class: 'help' }, n.description));
  if (holder[key] === null || holder[key] === undefined) {
    if (n.nullable) {
      box.append(el('button', {
        type: 'button', class: 'small',
        onclick: () => { holder[key] = blank(Object.assign({}, n, { nullable: false })); changed(); render(); },
      }, '填写此项'));
      return box;
    }
    holder[key] = blank(node);
  }
  if (n.nullable) {
    // Leaving a section out clears every value in it: it can be taken back, as a
    // deleted entry can.
    box.append(el('button', {
      type: 'button', class: 'small',
      onclick: () => {
        const was = holder[key];
        holder[key] = null;
        changed();
        render();
        offerUndo(`已不填“${labelOf(n, key)}”，其中填写的内容已清空。`, () => { holder[key] = was; }, path);
      },
    }, '不填此项'));
  }
  const value = holder[key];
  for (const k of keysOf(n, value, generic(path))) {
    if (!n.properties || !n.properties[k]) continue;
    box.append(field(n.properties[k], k, `${path}.${k}`, value));
  }
  return box;
}

function list(node, key, path, holder) {
  const n = resolve(node);
  const items = holder[key] || (holder[key] = []);
  const box = el('fieldset', { 'data-path': path });
  box.append(el('legend', {}, `${labelOf(n, key)}（${items.length} 项）`));
  const what = (labelOf(resolve(n.items), '') || '项').replace(/^一(位|项|个|份|条|张)/, '');
  items.forEach((item, i) => {
    const here = `${path}[${i}]`;
    const inner = el('fieldset', { 'data-path': here });
    const name = item.name ? '：' + item.name : item.title ? '：' + item.title : '';
    const move = (to, button) => {
      const [moved] = items.splice(i, 1);
      items.splice(to, 0, moved);
      changed();
      render();
      focusIn(`${path}[${to}]`, `[data-act="${button}"]`);
    };
    const remove = () => {
      const [removed] = items.splice(i, 1);
      changed();
      render();
      // Focus stays near: the item that took its place, the one before, or 添加.
      if (items.length) focusIn(`${path}[${Math.min(i, items.length - 1)}]`, '[data-act="删除"]');
      else document.querySelector(`[data-add="${path}"]`)?.focus();
      offerUndo(`已删除${what}第 ${i + 1} 项${name}。`, () => items.splice(i, 0, removed), here);
    };
    const act = (label, attrs, onclick) => el('button', Object.assign({
      type: 'button', class: 'small', 'data-act': label, onclick,
      'aria-label': `${label}第${i + 1}项${what}`,
    }, attrs), label);
    // The item's name is its group's: a screen reader says “工作室成员 3：张三 · 姓名”.
    inner.append(el('legend', { class: 'item-name' }, `${labelOf(n, key)} ${i + 1}${name}`), el('div', { class: 'item-head' },
      act('上移', { disabled: i === 0 }, () => move(i - 1, '上移')),
      act('下移', { disabled: i === items.length - 1 }, () => move(i + 1, '下移')),
      act('删除', {}, remove)));
    const itemNode = resolve(n.items);
    for (const k of keysOf(itemNode, item, generic(here))) {
      if (!itemNode.properties[k]) continue;
      inner.append(field(itemNode.properties[k], k, `${here}.${k}`, item));
    }
    if (path === 'evidence') inner.append(scanBox(item, i));
    box.append(inner);
  });
  box.append(el('button', {
    type: 'button', class: 'small', 'data-add': path,
    onclick: () => {
      const fresh = blank(n.items);
      if (path === 'evidence') fresh.id = nextEvidenceId();
      items.push(fresh);
      changed();
      render();
      focusIn(`${path}[${items.length - 1}]`, 'input, select, textarea');
    },
  }, `添加${labelOf(resolve(n.items), '')}`.replace(/添加$/, '添加一项')));
  if (path === 'members') box.append(rosterBox());
  return box;
}

// Members from an Excel or CSV roster: read by dashi, shown here, and only then put in
// place of the members or after them (and that can be undone).
const ROSTER = [['name', '姓名'], ['sex', '性别'], ['id_number', '身份证号'], ['role', '工作室职务'],
  ['occupation', '职业（工种）'], ['skill_level', '职业技能等级']];
function rosterBox() {
  const picker = el('input', { type: 'file', accept: '.xlsx,.xls,.csv', 'aria-label': '选择成员名册（Excel 或 CSV 文件）', 'data-roster': '' });
  const out = el('div', { class: 'roster', 'aria-live': 'polite' });
  picker.addEventListener('change', async () => {
    const file = picker.files[0];
    if (!file) return;
    out.replaceChildren('正在读取名册…');
    let response;
    try {
      response = await fetch(`/api/roster?name=${encodeURIComponent(file.name)}`, { method: 'POST', body: file });
    } catch (_) {
      gone();
      out.replaceChildren(el('p', { class: 'input-note', role: 'alert' }, '无法连接 dashi serve，名册没有读取'));
      return;
    }
    let answer = {};
    try { answer = await response.json(); } catch (_) { /* not JSON */ }
    picker.value = '';
    if (!response.ok) {
      out.replaceChildren(el('p', { class: 'input-note', role: 'alert' }, answer.message || '无法读取名册'));
      return;
    }
    const rows = answer.members;
    const table = el('table', { class: 'roster-table' },
      el('caption', {}, `名册“${file.name}”中的 ${rows.length} 位成员`),
      el('thead', {}, el('tr', {}, ...ROSTER.map(([, h]) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, ...rows.map((m) => el('tr', {}, ...ROSTER.map(([k]) => el('td', {}, m[k] || '（未填）'))))));
    const problems = answer.problems.length
      ? el('ul', { class: 'input-note', role: 'alert' }, ...answer.problems.map((p) => el('li', {}, `第 ${p.row} 行“${p.column}”：${p.message}`)))
      : null;
    const ignored = answer.ignored.length ? el('p', { class: 'help' }, `没有用到的列：${answer.ignored.join('、')}`) : null;
    const apply = (replace) => () => {
      const list = state.data.members;
      const before = copy(list);
      if (replace) list.splice(0, list.length, ...copy(rows));
      else list.push(...copy(rows));
      changed();
      render();
      offerUndo(replace ? `已用名册中的 ${rows.length} 位成员替换原有的 ${before.length} 位。`
        : `已把名册中的 ${rows.length} 位成员添加到原有的 ${before.length} 位之后。`,
      () => { list.splice(0, list.length, ...before); }, 'members');
    };
    out.replaceChildren(table, problems, ignored,
      el('button', { type: 'button', class: 'small', 'data-roster-act': 'replace', onclick: apply(true) }, `替换现有的 ${state.data.members.length} 位成员`),
      el('button', { type: 'button', class: 'small', 'data-roster-act': 'add', onclick: apply(false) }, '添加到现有成员之后'),
      el('button', { type: 'button', class: 'small', onclick: () => out.replaceChildren() }, '取消'));
  });
  return el('div', { class: 'roster-box' },
    el('span', { class: 'help' }, '成员名册在 Excel 中？选择名册文件（.xlsx 或 .csv，第一行是表头：姓名、性别、身份证号、工作室职务、职业（工种）、职业技能等级），先预览，再决定替换或添加：'),
    picker, out);
}

// The next free evidence 编号 (E01, E02, …), as the sample numbers them.
function nextEvidenceId() {
  const used = (state.data.evidence || []).map((e) => Number(String(e.id || '').replace(/^E/, ''))).filter((n) => n > 0);
  const next = (used.length ? Math.max(...used) : 0) + 1;
  return `E${String(next).padStart(2, '0')}`;
}

// A finding that a person lacks an evidence copy (R132, R133) offers to add the entry,
// filled in: 编号, 材料名称, 证明内容, 所属 and 成员; the clerk adds the scan.
const MISSING_COPY = { R132: ['身份证', '身份证'], R133: ['职业技能等级证书', '职业技能等级证书'] };
function addMissingCopy(f) {
  const [kind, what] = MISSING_COPY[f.code];
  const member = /^members\[(\d+)\]/.exec(f.path || '');
  const person = member ? (state.data.members[Number(member[1])] || {}) : state.data.master;
  const entry = blank(state.schema.properties.evidence.items);
  Object.assign(entry, {
    id: nextEvidenceId(),
    title: `${person.name || ''}${what}`,
    kind,
    owner: member ? '成员' : '领办人',
  });
  if (member) entry.member = person.name || '';
  state.data.evidence.push(entry);
  changed();
  render();
  focusIn(`evidence[${state.data.evidence.length - 1}]`, 'input[type=file], input');
}

// Puts the focus on what `selector` finds in the list item at `path` (after the form
// was drawn again), in view below the sticky header.
function focusIn(path, selector) {
  const item = document.querySelector(`fieldset[data-path="${path}"]`);
  const target = item && item.querySelector(selector);
  if (target) { target.focus(); target.scrollIntoView({ block: 'center' }); }
}

// The largest scan the form takes (dashi serve's own limit, files::MAX_SCAN).
const LIMIT_MB = 40;

// An evidence entry's scan: its picture and place in the catalogue; a file dropped here
// (or chosen) is checked and stored by dashi under evidence/.
function scanBox(item, i) {
  const number = (state.catalogue || [])[i];
  const box = el('div', { class: 'scan', 'data-scan': i },
    el('span', { class: 'help' }, number ? `佐证材料目录第 ${number} 项` : ''));
  if (item.file) {
    const thumb = el('img', { alt: `扫描件 ${item.file}`, src: `/api/thumb?file=${encodeURIComponent(item.file)}&v=${encodeURIComponent(state.version)}` });
    thumb.addEventListener('error', () => thumb.remove());
    box.append(thumb);
  }
  const picker = el('input', { type: 'file', accept: '.jpg,.jpeg,.png,.tif,.tiff,.pdf', 'aria-label': '选择扫描件' });
  const note = el('span', { class: 'help', role: 'status' }, `JPEG、PNG、TIFF 或 PDF，每个不超过 ${LIMIT_MB} MB`);
  const failed = (text) => {
    note.textContent = text;
    note.className = 'input-note';
    note.setAttribute('role', 'alert');
  };
  const send = async (file) => {
    if (file.size > LIMIT_MB * 1024 * 1024) {
      failed(`“${file.name}”有 ${(file.size / 1048576).toFixed(1)} MB，超过每个扫描件 ${LIMIT_MB} MB 的上限，没有上传；请用 300 dpi 重新扫描，或分成几个文件`);
      return;
    }
    note.className = 'help';
    note.textContent = '正在上传并检查…';
    const response = await fetch(`/api/evidence?name=${encodeURIComponent(file.name)}`, { method: 'PUT', body: file });
    let answer = {};
    try { answer = await response.json(); } catch (_) { /* not JSON */ }
    if (response.ok) {
      item.file = answer.file;
      changed();
      render();
    } else {
      failed(answer.message || '上传失败');
    }
  };
  picker.addEventListener('change', () => picker.files[0] && send(picker.files[0]));
  box.addEventListener('dragover', (e) => { e.preventDefault(); box.classList.add('over'); });
  box.addEventListener('dragleave', () => box.classList.remove('over'));
  box.addEventListener('drop', (e) => {
    e.preventDefault();
    box.classList.remove('over');
    if (e.dataTransfer.files[0]) send(e.dataTransfer.files[0]);
  });
  box.append(el('div', { class: 'drop' }, '把扫描件（JPEG、PNG、TIFF、PDF）拖到这里，或 ', picker), note);
  return box;
}

async function buildPacket() {
  const out = document.getElementById('built');
  if (state.dirty) await save();
  if (state.dirty) return;
  const disc = document.getElementById('with-disc').checked;
  out.replaceChildren(disc ? '正在生成申报材料和光盘映像…' : '正在生成申报材料…');
  banner(disc ? '正在生成申报材料和光盘映像…' : '正在生成申报材料…');
  const answer = await api('POST', '/api/build', { disc });
  if (!answer.ok) {
    out.replaceChildren(el('p', { class: 'error' }, answer.body.message || '生成失败'));
    if (!state.gone) banner(answer.body.message || '生成失败');
    return;
  }
  const b = answer.body;
  // Said in view wherever the clerk has scrolled; the links are below the form.
  banner(`已生成 ${b.files.length} 个文件到 ${b.folder}。`, () => out.scrollIntoView({ block: 'center' }), '查看并下载');
  out.replaceChildren(
    el('p', {}, `已生成到 ${b.folder}：`),
    el('ul', {}, ...b.files.map((f) => el('li', {}, el('a', { href: `/files/${encodeURIComponent(f)}`, download: f }, f)))),
    el('p', {}, '电子材料摘要（印在承诺书上）：', el('code', {}, b.digest_groups.join(' '))),
    el('p', {}, '封存值：', el('code', {}, b.seal)));
}

// Verifies a zip or disc image the clerk picks, with the digest from the 承诺书.
async function verifyPicked() {
  const file = document.getElementById('verify-file').files[0];
  const out = document.getElementById('verify-result');
  if (!file) {
    out.replaceChildren(el('p', { class: 'input-note', role: 'alert' }, '请先选择要核对的压缩包或光盘映像'));
    return;
  }
  const digest = document.getElementById('verify-digest').value;
  out.replaceChildren(el('p', {}, `正在核对“${file.name}”…`));
  let response;
  try {
    response = await fetch(`/api/verify?name=${encodeURIComponent(file.name)}&expect=${encodeURIComponent(digest)}`, { method: 'POST', body: file });
  } catch (_) {
    gone();
    out.replaceChildren(el('p', { class: 'input-note', role: 'alert' }, '无法连接 dashi serve，没有核对'));
    return;
  }
  let answer = {};
  try { answer = await response.json(); } catch (_) { /* not JSON */ }
  if (!response.ok) {
    out.replaceChildren(el('p', { class: 'input-note', role: 'alert' }, answer.message || '无法核对'));
    return;
  }
  out.replaceChildren(
    el('p', { class: answer.intact ? 'passed' : 'input-note', 'data-intact': String(answer.intact) },
      answer.intact ? `“${file.name}”核对通过。` : `“${file.name}”核对不通过：不要提交这个文件。`),
    el('pre', {}, answer.text));
}

function render() {
  const form = document.getElementById('form');
  const scroll = window.scrollY;
  form.replaceChildren();
  const root = state.schema;
  const keys = TOP.concat(Object.keys(root.properties).filter((k) => !TOP.includes(k)));
  for (const k of keys) {
    if (HIDDEN.has(k) || !root.properties[k]) continue;
    if (state.data[k] === undefined && !(root.required || []).includes(k)) continue;
    form.append(field(root.properties[k], k, k, state.data));
  }
  window.scrollTo(0, scroll);
  showFindings(state.findings || []);
}

// The element a finding belongs to: its field, else the nearest enclosing one.
function placeOf(path) {
  let p = path;
  while (p) {
    const found = document.querySelector(`[data-path="${CSS.escape(p)}"]`);
    if (found) return found;
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    p = cut > 0 ? p.slice(0, cut) : '';
  }
  return null;
}

function showFindings(findings) {
  state.findings = findings;
  document.querySelectorAll('.finding').forEach((e) => e.remove());
  document.querySelectorAll('.has-error').forEach((e) => e.classList.remove('has-error'));
  document.querySelectorAll('[aria-invalid]').forEach((e) => {
    e.removeAttribute('aria-invalid');
    e.removeAttribute('aria-describedby');
  });
  const listEl = document.getElementById('findings');
  listEl.replaceChildren();
  const errors = findings.filter((f) => f.level === '错误').length;
  document.getElementById('summary').textContent = findings.length === 0
    ? '没有发现问题。'
    : `${errors} 个错误，${findings.length - errors} 个警告（点击跳到所在栏目）`;
  findings.forEach((f, n) => {
    const cls = f.level === '错误' ? 'error' : 'warning';
    const text = `${f.code} ${f.level}：${f.message}（${f.article}）`;
    const place = placeOf(f.path);
    const input = place && place.querySelector(':scope > input, :scope > select, :scope > textarea');
    if (place) {
      if (cls === 'error') place.classList.add('has-error');
      const id = `finding-${n}`;
      const offer = MISSING_COPY[f.code]
        ? el('button', { type: 'button', class: 'small', 'data-fix': f.code, onclick: () => addMissingCopy(f) }, `添加这项佐证材料`)
        : null;
      place.append(el('div', { class: `finding ${cls}`, 'data-code': f.code, id },
        text, f.hint ? el('div', {}, `提示：${f.hint}`) : null, offer));
      if (input) {
        if (cls === 'error') input.setAttribute('aria-invalid', 'true');
        const before = input.getAttribute('aria-describedby');
        input.setAttribute('aria-describedby', before ? `${before} ${id}` : id);
      }
    }
    const jump = () => {
      const target = place && (place.querySelector('input, select, textarea') || place);
      if (target) { target.scrollIntoView({ block: 'center' }); target.focus(); }
    };
    listEl.append(el('li', {
      class: cls, 'data-code': f.code, 'data-path': f.path, tabindex: '0',
      onclick: jump,
      onkeydown: (e) => { if (e.key === 'Enter') { e.preventDefault(); jump(); } },
    }, text));
  });
}

// A 可另附页 cell of the 申报表 whose text no longer fits says so at its field.
function showContinued(paths) {
  document.querySelectorAll('.continued').forEach((e) => e.remove());
  for (const path of paths) {
    const place = document.querySelector(`[data-path="${CSS.escape(path)}"]`);
    if (place) {
      place.append(el('div', { class: 'continued', 'data-continued': path },
        '申报表中这一栏写不下，超出的部分将续在附页上（可另附页）。'));
    }
  }
}

async function check() {
  const onForm = document.getElementById('doc').value === '申报表';
  const answer = await api('POST', '/api/check', { data: state.data, continued: !onForm });
  if (answer.ok) {
    const before = JSON.stringify(state.catalogue || []);
    state.catalogue = answer.body.catalogue;
    if (JSON.stringify(state.catalogue) !== before) {
      document.querySelectorAll('[data-scan]').forEach((box) => {
        const n = state.catalogue[Number(box.dataset.scan)];
        box.firstChild.textContent = n ? `佐证材料目录第 ${n} 项` : '';
      });
    }
    showFindings(answer.body.findings);
    if (!onForm) showContinued(answer.body.continued || []);
  }
  else showFindings([{ code: '', level: '错误', message: answer.body.message || '无法检查', article: '', path: '' }]);
}

// Lays out the chosen document again; only changed pages come back. One at a time: an
// edit during a layout asks for one more when it ends.
async function preview() {
  if (state.previewing) { state.again = true; return; }
  state.previewing = true;
  const started = performance.now();
  const doc = document.getElementById('doc').value;
  const note = document.getElementById('preview-status');
  note.textContent = '排版中…';
  const answer = await api('POST', '/api/preview', {
    data: state.data, doc, known: state.pages.map((p) => p.digest),
  });
  const box = document.getElementById('pages');
  if (answer.ok) {
    const pages = answer.body.pages;
    // After an edit, the first page that changed is brought into view (not on a first
    // layout or a change of document).
    let first = state.pages.length ? -1 : null;
    pages.forEach((p, i) => {
      if (p.svg === null && state.pages[i]) return;
      if (first === -1) first = i;
      let holder = box.children[i];
      if (!holder) { holder = el('div', { class: 'page' }); box.append(holder); }
      const svg = new DOMParser().parseFromString(p.svg, 'image/svg+xml').documentElement;
      holder.replaceChildren(document.importNode(svg, true),
        el('span', { class: 'page-text', 'data-page': i + 1 }, p.text));
      holder.dataset.digest = p.digest;
    });
    while (box.children.length > pages.length) box.lastElementChild.remove();
    state.pages = pages.map((p) => ({ digest: p.digest }));
    note.textContent = `共 ${pages.length} 页`;
    if (first !== null && first >= 0) follow(box.children[first], first + 1);
    if (answer.body.continued) showContinued(answer.body.continued);
    window.dashiLastPreview = { doc, ms: performance.now() - started, at: performance.now() };
  } else {
    note.textContent = answer.body.message || '无法排版';
  }
  state.previewing = false;
  if (state.again) { state.again = false; preview(); }
}

// Shows page `page` of the pane unless the pane already shows some of it.
function follow(holder, page) {
  const pane = document.getElementById('preview');
  const top = holder.offsetTop;
  const showing = pane.scrollTop + pane.clientHeight > top + 40 && pane.scrollTop < top + holder.offsetHeight - 40;
  if (!showing) pane.scrollTo({ top: Math.max(0, top - 40) });
  document.getElementById('preview-status').textContent += `，刚改动的是第 ${page} 页`;
}

// A message in view (the banner sticks under the header), with buttons: banner(text,
// action, label) or banner(text, [[label, action], ...]).
// Says what was just taken away and offers, for a while, to put it back: `restore`
// undoes it, and the focus goes into `path`.
function offerUndo(said, restore, path) {
  banner(said, () => {
    restore();
    changed();
    render();
    document.getElementById('banner').hidden = true;
    focusIn(path, 'input, select, textarea');
  }, '撤销');
  setTimeout(() => {
    const b = document.getElementById('banner');
    if (b.firstChild && b.firstChild.textContent === said) b.hidden = true;
  }, 30000);
}

function banner(text, action, label) {
  const b = document.getElementById('banner');
  b.replaceChildren(text);
  const actions = Array.isArray(action) ? action : (action ? [[label, action]] : []);
  for (const [name, act] of actions) b.append(el('button', { type: 'button', onclick: act }, name));
  b.hidden = false;
}

const copy = (value) => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

// Two sets of edits to one `base` laid together: a value changed on one side only takes
// that side's; one changed on both sides to different values is a conflict, kept as
// `theirs` (never overwritten) and listed for the clerk to settle.
function merge3(base, mine, theirs, path, conflicts) {
  if (same(mine, theirs) || same(mine, base)) return copy(theirs);
  if (same(theirs, base)) return copy(mine);
  const isObject = (v) => v && typeof v === 'object' && !Array.isArray(v);
  const at = (key) => (path ? `${path}.${key}` : key);
  if (isObject(base) && isObject(mine) && isObject(theirs)) {
    const out = {};
    for (const key of new Set([...Object.keys(theirs), ...Object.keys(mine), ...Object.keys(base)])) {
      const v = merge3(base[key], mine[key], theirs[key], at(key), conflicts);
      if (v !== undefined) out[key] = v;
    }
    return out;
  }
  const lists = [base, mine, theirs].every(Array.isArray);
  if (lists && base.length === mine.length && mine.length === theirs.length) {
    return base.map((_, i) => merge3(base[i], mine[i], theirs[i], `${path}[${i}]`, conflicts));
  }
  conflicts.push({ path, mine: copy(mine), theirs: copy(theirs) });
  return copy(theirs);
}

// The places where `a` and `b` differ (a list of another length is one place).
function differing(a, b, path, out) {
  if (same(a, b)) return out;
  const isObject = (v) => v && typeof v === 'object' && !Array.isArray(v);
  if (isObject(a) && isObject(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      differing(a[key], b[key], path ? `${path}.${key}` : key, out);
    }
  } else if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((_, i) => differing(a[i], b[i], `${path}[${i}]`, out));
  } else {
    out.push(path);
  }
  return out;
}

// A value as the clerk reads it.
function shown(v) {
  if (v === undefined || v === null || v === '') return '（空）';
  if (Array.isArray(v)) return `（${v.length} 项）`;
  if (typeof v === 'object') return '（一组内容）';
  if (v === true) return '是';
  if (v === false) return '否';
  return String(v);
}

// Puts `value` at `path` in `root` (undefined takes the field out).
function setAt(root, path, value) {
  const parts = path.match(/[^.[\]]+/g);
  let holder = root;
  for (const p of parts.slice(0, -1)) holder = holder[/^\d+$/.test(p) ? Number(p) : p];
  const last = parts[parts.length - 1];
  if (value === undefined) delete holder[last];
  else holder[/^\d+$/.test(last) ? Number(last) : last] = copy(value);
}

// Conflicts to settle, one by one: each field shows both values and takes the one chosen.
// Until chosen, the field holds `theirs` (the value already saved or already on the page).
function settle(conflicts, mineSaid, theirsSaid) {
  const box = document.getElementById('conflicts');
  if (!conflicts.length) { box.hidden = true; return; }
  box.replaceChildren(el('p', {}, `有 ${conflicts.length} 项在两处都改过，而且改得不一样。请逐项选择要留下的内容（选定之前，表中是“${theirsSaid}”）：`));
  const rows = el('ul', {});
  for (const c of conflicts) {
    const row = el('li', { 'data-conflict': c.path });
    const take = (value, said) => () => {
      setAt(state.data, c.path, value);
      row.remove();
      if (!rows.children.length) box.hidden = true;
      changed();
      render();
      status(`已选用${said}的内容，请核对后按“保存”`);
    };
    row.append(el('strong', {}, nameOf(c.path)), '：',
      el('button', { type: 'button', class: 'small', 'data-take': 'mine', onclick: take(c.mine, mineSaid) }, `用${mineSaid}：${shown(c.mine)}`),
      el('button', { type: 'button', class: 'small', 'data-take': 'theirs', onclick: take(c.theirs, theirsSaid) }, `用${theirsSaid}：${shown(c.theirs)}`));
    rows.append(row);
  }
  box.append(rows);
  box.hidden = false;
}

// The file as it is now (`theirs`: data and version) beside the page's edits: reload it,
// or lay the page's edits over it.
function offerMerge(theirs, text) {
  banner(text, [
    ['重新载入（放弃本页的修改）', () => { forget(); load({ body: theirs }); }],
    ['合并本页改过的项', () => {
      const conflicts = [];
      state.data = merge3(state.base, state.data, theirs.data, '', conflicts);
      state.base = copy(theirs.data);
      state.version = theirs.version;
      render();
      changed();
      banner(conflicts.length
        ? '已把本页改过的项合并到文件的新内容中；两边都改过的项请在下面逐项选择，再按“保存”。'
        : '已把本页改过的项合并到文件的新内容中，请核对后按“保存”。');
      settle(conflicts, '本页的', '已保存的');
    }],
  ]);
}

// The page's unsaved edits, kept in the browser per tab until saved: each tab (each
// load of the page) writes only its own entry, so a save or an edit in one tab never
// touches another's. An entry whose tab was closed or reloaded (or silent for 90 s)
// is offered back until the clerk takes it or refuses it.
const TAB = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
const filePrefix = () => `dashi:${document.getElementById('file').textContent}:`;
const keyOf = () => filePrefix() + TAB;
function remember(closing) {
  if (!state.data) return;
  try {
    localStorage.setItem(keyOf(), JSON.stringify({
      data: state.data, base: state.base, version: state.version, at: Date.now(), alive: closing ? 0 : Date.now(),
    }));
  } catch (_) { /* storage full or off: the page still holds them */ }
}
function forget(key) {
  try { localStorage.removeItem(key || keyOf()); } catch (_) { /* nothing kept */ }
}

// The tabs open now answer a roll call (BroadcastChannel, same origin): an entry whose
// tab does not answer was left by a tab that is gone, closed or reloaded.
const roll = 'BroadcastChannel' in window ? new BroadcastChannel('dashi-tabs') : null;
const answered = new Set();
if (roll) {
  roll.onmessage = (e) => {
    if (e.data && e.data.who) roll.postMessage({ here: TAB });
    if (e.data && e.data.here) answered.add(e.data.here);
  };
}
async function liveTabs() {
  if (!roll) return null;
  answered.clear();
  roll.postMessage({ who: true });
  await new Promise((done) => setTimeout(done, 500));
  return new Set(answered);
}

// Entries of this file left by tabs that are no more, newest first: by the roll call,
// or (without one) by a heartbeat silent for 90 s.
function orphans(live) {
  const found = [];
  const older = `dashi:${document.getElementById('file').textContent}`;
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (key === keyOf() || (key !== older && !key.startsWith(filePrefix()))) continue;
      const kept = JSON.parse(localStorage.getItem(key) || 'null');
      if (!kept || !kept.data) continue;
      const tab = key.slice(filePrefix().length);
      if (live ? live.has(tab) : (kept.alive && Date.now() - kept.alive < 90000)) continue;
      found.push(Object.assign({ key }, kept));
    }
  } catch (_) { /* storage off */ }
  return found.sort((a, b) => (b.at || 0) - (a.at || 0));
}

// What an entry changed, in the form's words (at most five fields named).
function changesOf(kept) {
  const names = [...new Set(differing(kept.base, kept.data, '', []).map(nameOf))];
  return names.length > 5 ? `${names.slice(0, 5).join('、')} 等 ${names.length} 项` : names.join('、');
}

// The offers to take kept edits back: they stay in view until taken or refused.
async function offerKept() {
  const live = await liveTabs();
  const box = document.getElementById('kept');
  const entries = orphans(live).filter((k) => !same(k.data, state.data));
  box.replaceChildren();
  box.hidden = !entries.length;
  for (const kept of entries) {
    const when = kept.at ? new Date(kept.at).toLocaleString('zh-CN', { hour12: false }) : '此前';
    const row = el('p', { 'data-kept': kept.key },
      `浏览器中保存着一份没有保存的修改（${when}，改动了：${changesOf(kept) || '若干项'}）。`);
    const done = () => { row.remove(); if (!box.children.length) box.hidden = true; };
    row.append(
      el('button', { type: 'button', class: 'small', onclick: () => {
        const conflicts = [];
        state.data = merge3(kept.base, kept.data, state.data, '', conflicts);
        forget(kept.key);
        done();
        render();
        changed();
        banner(conflicts.length
          ? '已恢复这些修改；与本页现在的内容不同的项请在下面逐项选择，再按“保存”。'
          : '已恢复这些修改，请核对后按“保存”。');
        settle(conflicts, '恢复的', '本页现在的');
      } }, '恢复这些修改'),
      el('button', { type: 'button', class: 'small', onclick: () => { forget(kept.key); done(); } }, '放弃这些修改'));
    box.append(row);
  }
}

async function save() {
  const answer = await api('POST', '/api/save', { data: state.data, version: state.version });
  if (answer.ok) {
    state.version = answer.body.version;
    state.base = copy(state.data);
    state.dirty = false;
    forget();
    document.getElementById('save').disabled = true;
    status('已保存');
    document.getElementById('banner').hidden = true;
  } else if (answer.status === 0) {
    banner(GONE + ' 这次保存没有完成。', reconnect, '重新连接');
  } else if (answer.status === 409 && answer.body.data) {
    offerMerge(answer.body, answer.body.message);
  } else if (answer.status === 409) {
    banner(answer.body.message || '数据文件已被改动，没有保存', reload, '重新载入');
  } else {
    banner(answer.body.message || '保存失败');
    if (answer.body.findings) showFindings(answer.body.findings);
  }
}

// Reads the file again; unsaved edits on the page are offered to be kept.
async function reload() {
  const answer = await api('POST', '/api/reload');
  if (state.dirty && answer.ok && answer.body.data) {
    offerMerge(answer.body, '已重新读取数据文件。本页还有未保存的修改：');
  } else {
    load(answer);
  }
}

function load(answer) {
  const body = answer.body;
  document.getElementById('file').textContent = body.path || '';
  document.getElementById('banner').hidden = true;
  document.getElementById('build').disabled = !body.data;
  if (!body.data) {
    document.getElementById('summary').textContent = '没有可检查的数据。';
    if (body.can_init) {
      banner('这个文件夹中还没有数据文件。', async () => load(await api('POST', '/api/init')), '从样例开始');
    } else {
      banner(body.problem || body.message || '无法读取数据文件');
    }
    return;
  }
  document.getElementById('conflicts').hidden = true;
  state.data = body.data;
  state.base = copy(body.data);
  state.order = body.order || {};
  state.version = body.version;
  state.dirty = false;
  document.getElementById('save').disabled = true;
  status('');
  render();
  preview();
  check();
  adoptCarried();
  offerKept();
}

window.addEventListener('beforeunload', (e) => { if (state.dirty) e.preventDefault(); });
// A tab that goes away leaves its entry to be offered at once in the next one.
window.addEventListener('pagehide', () => { if (state.dirty) remember(true); });

document.addEventListener('DOMContentLoaded', async () => {
  if (location.search.includes('token=')) history.replaceState(null, '', '/');
  document.getElementById('save').addEventListener('click', save);
  document.getElementById('fold').addEventListener('click', (e) => {
    const open = document.body.classList.toggle('show-preview');
    e.target.textContent = open ? '收起预览' : '展开预览';
    e.target.setAttribute('aria-expanded', String(open));
  });
  document.getElementById('build').addEventListener('click', buildPacket);
  document.getElementById('verify-run').addEventListener('click', verifyPicked);
  document.getElementById('doc').addEventListener('change', () => {
    state.pages = [];
    document.getElementById('pages').replaceChildren();
    preview();
  });
  document.addEventListener('keydown', (e) => {
    if ((e.ctrlKey || e.metaKey) && e.key === 's') { e.preventDefault(); if (state.dirty) save(); }
  });
  setInterval(heartbeat, 1000);
  const [schema, vocab, data] = await Promise.all([
    api('GET', '/api/schema'), api('GET', '/api/vocab'), api('GET', '/api/data')]);
  state.schema = schema.body;
  state.vocab = vocab.body;
  load(data);
});
