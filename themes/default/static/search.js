/* cunwu site search. Reads window.CUNWU_SEARCH (search-index.js, loaded by a
   <script> tag) and loads only the shards a query needs, also with <script>
   tags so it works from file:// (src/render/search/shards.rs). Plain ES5, no
   libraries. Tokens and ranking mirror src/render/search.rs: Chinese is split
   into character pairs, words and numbers are lowercased. */
(function () {
  'use strict';
  var LAST = 'abcdefghijklmnopqrstuvwxyzABCDEF';
  var MORE = 'GHIJKLMNOPQRSTUVWXYZ0123456789-_';
  var TITLE_WEIGHT = 3;
  var MAX_SHOWN = 50;

  /* The characters of s, keeping surrogate pairs together. */
  function chars(s) {
    var out = [], i = 0, c, d;
    while (i < s.length) {
      c = s.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
        d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) { out.push(s.substr(i, 2)); i += 2; continue; }
      }
      out.push(s.charAt(i));
      i += 1;
    }
    return out;
  }

  function code(ch) {
    if (ch.length === 2) {
      return (ch.charCodeAt(0) - 0xd800) * 0x400 + (ch.charCodeAt(1) - 0xdc00) + 0x10000;
    }
    return ch.charCodeAt(0);
  }

  function fold(ch) {
    var c = code(ch);
    if (c >= 0xff01 && c <= 0xff5e) { ch = String.fromCharCode(c - 0xfee0); }
    else if (c === 0x3000) { ch = ' '; }
    return (ch >= 'A' && ch <= 'Z') ? ch.toLowerCase() : ch;
  }

  function isCjk(ch) {
    var c = code(ch);
    return (c >= 0x3040 && c <= 0x30ff) || (c >= 0x3400 && c <= 0x4dbf) ||
      (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af) ||
      (c >= 0xf900 && c <= 0xfaff) || (c >= 0x20000 && c <= 0x3ffff);
  }

  function isDigit(ch) { return ch.length === 1 && ch >= '0' && ch <= '9'; }
  function isWord(ch) { return isDigit(ch) || (ch.length === 1 && ch >= 'a' && ch <= 'z'); }

  /* Search tokens of text, in order, with repeats. */
  function tokens(text) {
    var cs = chars(text), n = cs.length, out = [], i = 0, j, start, word, digits, d;
    for (j = 0; j < n; j++) { cs[j] = fold(cs[j]); }
    while (i < n) {
      if (isCjk(cs[i])) {
        start = i;
        while (i < n && isCjk(cs[i])) { i++; }
        if (i - start === 1) { out.push(cs[start]); }
        for (j = start; j + 1 < i; j++) { out.push(cs[j] + cs[j + 1]); }
      } else if (isWord(cs[i])) {
        digits = isDigit(cs[i]);
        word = '';
        while (i < n) {
          d = cs[i];
          if (digits && (d === ',' || d === '.') && i + 1 < n && isDigit(cs[i + 1]) &&
              word.length && isDigit(word.charAt(word.length - 1))) {
            if (d === '.') { word += '.'; }
          } else if (isWord(d) && isDigit(d) === digits) {
            word += d;
          } else {
            break;
          }
          i++;
        }
        if (word.length > 1) { out.push(word); }
      } else {
        i++;
      }
    }
    return out;
  }

  /* A posting list as a flat array: doc, inTitle, doc, inTitle, ... */
  function decode(s) {
    var out = [], acc = 0, next = 0, i, ch, v, doc;
    for (i = 0; i < s.length; i++) {
      ch = s.charAt(i);
      v = MORE.indexOf(ch);
      if (v >= 0) { acc = acc * 32 + v; continue; }
      v = LAST.indexOf(ch);
      if (v < 0) { break; }
      acc = acc * 32 + v;
      doc = next + Math.floor(acc / 2);
      out.push(doc, acc % 2);
      next = doc + 1;
      acc = 0;
    }
    return out;
  }

  /* The token shard of t: FNV-1a over its UTF-16 code units, the high half
     folded in (src/render/search/shards.rs, shard_of). The multiplication by
     16777619 is written as shifts, exact in ES5 numbers. */
  function shardOf(t, n) {
    var h = 0x811c9dc5, i;
    for (i = 0; i < t.length; i++) {
      h ^= t.charCodeAt(i);
      h = (h + (h << 1) + (h << 4) + (h << 7) + (h << 8) + (h << 24)) >>> 0;
    }
    h = (h ^ (h >>> 16)) >>> 0;
    return h & (n - 1);
  }

  /* The index as parts loaded so far: meta is search-index.js, parts maps a
     shard's name ('t/3', 't/3-1', 'd/0') to its data, or null when it failed. */
  function create(meta) { return { meta: meta, parts: {} }; }

  /* The distinct tokens of a query. */
  function queryTokens(query) {
    var t = tokens(query), q = [], seen = {}, i;
    for (i = 0; i < t.length; i++) {
      if (!seen['$' + t[i]]) { seen['$' + t[i]] = true; q.push(t[i]); }
    }
    return q;
  }

  /* Keeps a loaded part. A token shard, [[token, ...], [list, ...]], is
     kept as a map from '$' + token to its list. */
  function add(ix, name, data) {
    var map, i;
    if (/^t\/[0-9]+$/.test(name) && data) {
      map = {};
      for (i = 0; i < data[0].length; i++) { map['$' + data[0][i]] = data[1][i]; }
      data = map;
    }
    ix.parts[name] = data;
  }

  function own(o, k) { return o !== null && typeof o === 'object' && Object.prototype.hasOwnProperty.call(o, k); }

  /* The shard names a query needs before it can be ranked. Step 1 gives the
     token shards; once they are loaded, step 2 adds the files of long lists. */
  function needed(ix, q) {
    var out = [], i, name, v;
    for (i = 0; i < q.length; i++) {
      name = 't/' + shardOf(q[i], ix.meta.shards);
      out.push(name);
      if (own(ix.parts, name) && own(ix.parts[name], '$' + q[i])) {
        v = ix.parts[name]['$' + q[i]];
        if (v.charAt(0) === '@') { out.push(name + '-' + v.substr(1)); }
      }
    }
    return out;
  }

  /* The encoded postings of token t, '' when absent; undefined when a shard
     it needs is not loaded. */
  function listOf(ix, t) {
    var name = 't/' + shardOf(t, ix.meta.shards), shard = ix.parts[name], v;
    if (!own(ix.parts, name)) { return undefined; }
    if (!own(shard, '$' + t)) { return ''; }
    v = shard['$' + t];
    if (v.charAt(0) !== '@') { return v; }
    name = name + '-' + v.substr(1);
    if (!own(ix.parts, name)) { return undefined; }
    return typeof ix.parts[name] === 'string' ? ix.parts[name] : '';
  }

  /* Ranked results: [{doc, matched, score}], best first. Documents are
     numbered by title length, so a smaller number wins a tie. */
  function search(ix, query) {
    var q = queryTokens(query), hits = {}, list = [], i, p, h, d, s;
    for (i = 0; i < q.length; i++) {
      s = listOf(ix, q[i]);
      p = decode(s || '');
      for (d = 0; d < p.length; d += 2) {
        h = hits[p[d]] || (hits[p[d]] = { doc: p[d], matched: 0, score: 0 });
        h.matched += 1;
        h.score += p[d + 1] === 1 ? TITLE_WEIGHT : 1;
      }
    }
    var need = Math.max(1, Math.ceil(q.length / 2));
    for (d in hits) {
      if (Object.prototype.hasOwnProperty.call(hits, d) && hits[d].matched >= need) { list.push(hits[d]); }
    }
    list.sort(function (a, b) { return (b.score - a.score) || (a.doc - b.doc); });
    return list;
  }

  /* The result shard of a document, and the document once it is loaded. */
  function docPart(ix, doc) { return 'd/' + Math.floor(doc / ix.meta.per); }
  function docOf(ix, doc) {
    var part = ix.parts[docPart(ix, doc)];
    return part ? part[doc % ix.meta.per] : undefined;
  }

  /* A result's page, relative to the site root. */
  function pageUrl(meta, doc) {
    var path = (meta.prefixes[doc[2]] || '') + doc[1];
    return path ? path + '/index.html' : 'index.html';
  }

  window.CunwuSearch = {
    tokens: tokens, decode: decode, shardOf: shardOf, create: create, add: add, queryTokens: queryTokens,
    needed: needed, search: search, docPart: docPart, docOf: docOf, pageUrl: pageUrl
  };
  if (typeof document === 'undefined') { return; }

  var box = document.getElementById('search-results');
  var input = document.getElementById('q');
  if (!box || !input) { return; }

  function el(name, cls, text) {
    var e = document.createElement(name);
    if (cls) { e.className = cls; }
    if (text) { e.appendChild(document.createTextNode(text)); }
    return e;
  }

  function param(name) {
    var parts = window.location.search.replace(/^\?/, '').split('&'), i, kv;
    for (i = 0; i < parts.length; i++) {
      kv = parts[i].split('=');
      if (kv[0] === name && kv.length > 1) {
        try { return decodeURIComponent(kv[1].replace(/\+/g, ' ')); } catch (e) { return ''; }
      }
    }
    return '';
  }

  var meta = window.CUNWU_SEARCH;
  var ix = meta && meta.v === 2 ? create(meta) : null;
  var root = box.getAttribute('data-root') || '';
  var waiting = {};
  var current = 0;

  /* Shards call this when their script has run. */
  window.CUNWU_PART = function (name, data) {
    if (!ix || own(ix.parts, name) && ix.parts[name] !== null) { return; }
    add(ix, name, data);
    var w = waiting[name] || [], i;
    delete waiting[name];
    for (i = 0; i < w.length; i++) { w[i](); }
  };

  /* Loads the shards `names` with <script> tags (which work from file://),
     then calls done. A shard that fails to load counts as null. */
  function load(names, done) {
    var left = 1, i;
    function one() { left -= 1; if (left === 0) { done(); } }
    for (i = 0; i < names.length; i++) {
      if (own(ix.parts, names[i])) { continue; }
      left += 1;
      if (waiting[names[i]]) { waiting[names[i]].push(one); continue; }
      waiting[names[i]] = [one];
      (function (name) {
        var s = document.createElement('script');
        s.src = root + 'search/' + name + '.js';
        s.onerror = function () {
          ix.parts[name] = null;
          var w = waiting[name] || [], j;
          delete waiting[name];
          for (j = 0; j < w.length; j++) { w[j](); }
        };
        document.body.appendChild(s);
      }(names[i]));
    }
    one();
  }

  function failed(names) {
    for (var i = 0; i < names.length; i++) { if (ix.parts[names[i]] === null) { return true; } }
    return false;
  }

  function notLoaded() {
    box.appendChild(el('p', 'note', '搜索索引没有加载，请在下面按栏目和地区查找。'));
  }

  function clear() { while (box.firstChild) { box.removeChild(box.firstChild); } }

  function show(query) {
    var run = ++current;
    query = query.replace(/^\s+|\s+$/g, '');
    if (!query) { clear(); return; }
    if (!ix) { clear(); notLoaded(); return; }
    var q = queryTokens(query);
    load(needed(ix, q), function () {
      if (run !== current) { return; }
      var more = needed(ix, q);
      load(more, function () {
        if (run !== current) { return; }
        clear();
        if (failed(more)) { notLoaded(); return; }
        results(run, query, search(ix, query));
      });
    });
  }

  /* Lists the first results in order, each as soon as its result shard is
     there; the first needs one shard of about 3 KB. */
  function results(run, query, hits) {
    if (!hits.length) {
      box.appendChild(el('p', 'search-status', '没有找到与“' + query + '”有关的内容。请换一个词，或在下面按栏目和地区查找。'));
      return;
    }
    box.appendChild(el('p', 'search-status', '找到 ' + hits.length + ' 条与“' + query + '”有关的结果' +
      (hits.length > MAX_SHOWN ? '，下面列出前 ' + MAX_SHOWN + ' 条：' : '：')));
    var ol = el('ol', 'search-results'), shown = 0, top = hits.slice(0, MAX_SHOWN), parts = [], i;
    box.appendChild(ol);
    function more() {
      if (run !== current) { return; }
      while (shown < top.length && own(ix.parts, docPart(ix, top[shown].doc))) {
        var doc = docOf(ix, top[shown].doc), li, a;
        shown += 1;
        if (!doc) { continue; }
        li = el('li');
        a = el('a', null, doc[0]);
        a.href = root + pageUrl(meta, doc);
        li.appendChild(a);
        li.appendChild(document.createTextNode(' '));
        li.appendChild(el('span', 'meta', meta.kinds[doc[2]] || ''));
        if (doc[3]) { li.appendChild(el('p', 'snippet', doc[3])); }
        ol.appendChild(li);
      }
    }
    for (i = 0; i < top.length; i++) {
      load([docPart(ix, top[i].doc)], more);
    }
  }

  var q = param('q');
  input.value = q;
  var header = document.getElementById('site-q');
  if (header) { header.value = q; }
  show(q);

  var timer = null;
  input.addEventListener('input', function () {
    if (timer) { window.clearTimeout(timer); }
    timer = window.setTimeout(function () { show(input.value); }, 250);
  });
  input.form.addEventListener('submit', function (e) {
    e.preventDefault();
    show(input.value);
    try { window.history.replaceState(null, '', '?q=' + encodeURIComponent(input.value)); } catch (err) { /* file:// */ }
  });
}());
