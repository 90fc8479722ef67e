/* cunwu site search. Reads window.CUNWU_SEARCH (search-index.js, loaded by a
   <script> tag so it works from file://) and shows results on the search page.
   Plain ES5, no libraries. Tokens and ranking mirror src/render/search.rs:
   Chinese is split into character pairs, words and numbers are lowercased. */
(function () {
  'use strict';
  var LAST = '0123456789abcdefghijklmnopqrstuv';
  var MORE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZwxyz-_';
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

  /* Token -> encoded postings (keys prefixed with $), and the list of pairs. */
  function load(data) {
    var lists = data.postings ? data.postings.split(' ') : [];
    var map = {}, pairs = [], k = 0, g, cs, j;
    for (g = 0; g < data.pairs.length; g++) {
      cs = chars(data.pairs[g]);
      for (j = 1; j < cs.length; j++) {
        pairs.push(cs[0] + cs[j]);
        map['$' + cs[0] + cs[j]] = lists[k++];
      }
    }
    for (g = 0; g < data.words.length; g++) { map['$' + data.words[g]] = lists[k++]; }
    return { data: data, map: map, pairs: pairs };
  }

  /* Ranked results: [{doc, matched, score}], best first. */
  function search(ix, query) {
    var t = tokens(query), q = [], seen = {}, hits = {}, list = [], i, j, p, keys, found, lone, h, d;
    for (i = 0; i < t.length; i++) {
      if (!seen['$' + t[i]]) { seen['$' + t[i]] = true; q.push(t[i]); }
    }
    for (i = 0; i < q.length; i++) {
      lone = chars(q[i]).length === 1 && isCjk(q[i]);
      keys = [q[i]];
      if (lone) {
        for (j = 0; j < ix.pairs.length; j++) {
          if (ix.pairs[j].indexOf(q[i]) >= 0) { keys.push(ix.pairs[j]); }
        }
      }
      found = {};
      for (j = 0; j < keys.length; j++) {
        if (typeof ix.map['$' + keys[j]] !== 'string') { continue; }
        p = decode(ix.map['$' + keys[j]]);
        for (d = 0; d < p.length; d += 2) { found[p[d]] = found[p[d]] || p[d + 1] === 1; }
      }
      for (d in found) {
        if (Object.prototype.hasOwnProperty.call(found, d)) {
          h = hits[d] || (hits[d] = { doc: +d, matched: 0, score: 0 });
          h.matched += 1;
          h.score += found[d] ? TITLE_WEIGHT : 1;
        }
      }
    }
    var need = Math.max(1, Math.ceil(q.length / 2));
    for (d in hits) {
      if (Object.prototype.hasOwnProperty.call(hits, d) && hits[d].matched >= need) { list.push(hits[d]); }
    }
    var len = function (doc) { return chars(ix.data.docs[doc][0]).length; };
    list.sort(function (a, b) {
      return (b.score - a.score) || (len(a.doc) - len(b.doc)) || (a.doc - b.doc);
    });
    return list;
  }

  /* A result's page, relative to the site root. */
  function pageUrl(data, doc) {
    var path = (data.prefixes[doc[2]] || '') + doc[1];
    return path ? path + '/index.html' : 'index.html';
  }

  window.CunwuSearch = { tokens: tokens, decode: decode, load: load, search: search, pageUrl: pageUrl };
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

  var data = window.CUNWU_SEARCH;
  var ix = data ? load(data) : null;
  var root = box.getAttribute('data-root') || '';

  function show(query) {
    while (box.firstChild) { box.removeChild(box.firstChild); }
    query = query.replace(/^\s+|\s+$/g, '');
    if (!query) { return; }
    if (!ix) {
      box.appendChild(el('p', 'note', '搜索索引没有加载，请在下面按栏目和地区查找。'));
      return;
    }
    var hits = search(ix, query), ol, li, a, doc, i;
    if (!hits.length) {
      box.appendChild(el('p', 'search-status', '没有找到与“' + query + '”有关的内容。请换一个词，或在下面按栏目和地区查找。'));
      return;
    }
    box.appendChild(el('p', 'search-status', '找到 ' + hits.length + ' 条与“' + query + '”有关的结果' +
      (hits.length > MAX_SHOWN ? '，下面列出前 ' + MAX_SHOWN + ' 条：' : '：')));
    ol = el('ol', 'search-results');
    for (i = 0; i < hits.length && i < MAX_SHOWN; i++) {
      doc = data.docs[hits[i].doc];
      li = el('li');
      a = el('a', null, doc[0]);
      a.href = root + pageUrl(data, doc);
      li.appendChild(a);
      li.appendChild(document.createTextNode(' '));
      li.appendChild(el('span', 'meta', data.kinds[doc[2]] || ''));
      if (doc[3]) { li.appendChild(el('p', 'snippet', doc[3])); }
      ol.appendChild(li);
    }
    box.appendChild(ol);
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
