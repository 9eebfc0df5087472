/* The compare view (/compare/?a=qwen2.5&b=qwen3): releases side by side, one column each, read from the site's
   own API (its address is in the page's data-api attribute). Every string from the data is set as text, never
   as markup. The query string follows every change, so a comparison can be shared. No dependencies. */
(function () {
  "use strict";

  var KEYS = "abcdefghijklmnopqrstuvwxyz";  // ?a=…&b=…&c=…: a column per letter, in order; ?av=… chooses a's variant
  // Labels as the rest of the site writes them (macros/fmt.py, macros/pages.py, macros/architecture.py);
  // tests/test_compare.py checks that they agree. Written as JSON so that the test can read it.
  var LABELS = {
    "licences": {"apache-2.0": "Apache 2.0", "tongyi-qianwen": "Tongyi Qianwen License",
      "tongyi-qianwen-research": "Tongyi Qianwen Research License", "qwen": "Qwen License",
      "qwen-research": "Qwen Research License", "qwen3.8-max": "Qwen3.8-Max License",
      "qwen-community-1.0": "Qwen Community License 1.0", "proprietary": "Proprietary (API only)",
      "not-verified": "Not verified"},
    "tracks": {"base": "Base LLM", "coder": "Code", "math": "Math", "vision": "Vision-language", "audio": "Audio",
      "omni": "Omni", "reasoning": "Reasoning", "image": "Image generation", "embedding": "Embedding & rerank",
      "safety": "Safety", "api": "Hosted API", "speech": "Speech", "translation": "Translation",
      "embodied": "Embodied & driving", "agent": "Agents", "reward": "Reward models"},
    "relations": {"successor": "successor of", "update": "update of", "specialisation": "specialisation of",
      "multimodal-extension": "multimodal extension of", "reasoning": "reasoning model from",
      "long-context": "long-context version of", "final-release": "final release of", "built-on": "built on",
      "distillation": "distilled from", "hosted-counterpart": "hosted counterpart of"},
    "architectures": {"dense": "Dense", "moe": "Mixture of experts", "dense-and-moe": "Dense and mixture-of-experts sizes",
      "hybrid": "Hybrid linear/full attention", "diffusion": "Diffusion (image generation)", "undisclosed": "Not disclosed"},
    "shape": [
      ["Layers", "shape", "layers", "number"],
      ["Layer pattern", "shape", "layer_pattern", "text"],
      ["Full attention every", "shape", "full_attention_interval", "nth"],
      ["Hidden size", "shape", "hidden_size", "number"],
      ["Feed-forward width", "shape", "intermediate_size", "number"],
      ["Query heads", "shape", "attention_heads", "number"],
      ["Key/value heads", "shape", "kv_heads", "number"],
      ["Query heads per KV head", "derived", "query_per_kv_head", "plain"],
      ["Head size", "derived", "head_size", "number"],
      ["Vocabulary", "shape", "vocab_size", "number"],
      ["RoPE base", "shape", "rope_theta", "number"],
      ["Position embeddings", "shape", "max_position_embeddings", "number"],
      ["Tied embeddings", "shape", "tie_word_embeddings", "yesno"],
      ["Routed experts", "shape", "experts", "number"],
      ["Experts per token", "shape", "experts_per_token", "number"],
      ["Shared experts", "shape", "shared_experts", "number"],
      ["Expert width", "shape", "moe_intermediate_size", "number"],
      ["KV cache per token (bf16)", "derived", "kv_bytes_per_token", "bytes"],
      ["Parameters per layer", "derived", "params_per_layer_m", "millions"]
    ]
  };
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  var NOT_RECORDED = "not recorded";
  var NOT_GIVEN = "–";

  // ------------------------------------------------------------------ formatting, as macros/fmt.py does

  function plain(value) {  // fmt.number: 7.0 -> "7", 0.5 -> "0.5"
    return String(Number(Number(value).toPrecision(6)));
  }

  function params(value) {  // fmt.params: 0.5B, 72B, 2.4T
    return value >= 1000 ? plain(value / 1000) + "T" : plain(value) + "B";
  }

  function sizeLabel(variant) {  // fmt.size_label: 72B, 30B-A3B
    var total = params(variant.params_b);
    return variant.active_params_b != null ? total + "-A" + params(variant.active_params_b) : total;
  }

  function tokens(value) {  // fmt.tokens: 32K, 128K, 1M
    if (value >= 1000000) return plain(Math.round(value / 10000) / 100) + "M";
    if (value >= 1024 && value % 1024 === 0) return value / 1024 + "K";
    return value >= 1000 ? plain(Math.round(value / 100) / 10) + "K" : String(value);
  }

  function dateLabel(iso) {  // PartialDate.label: 3 Aug 2023, or Sep 2026 for a month
    var parts = iso.split("-");
    var month = MONTHS[Number(parts[1]) - 1] + " " + parts[0];
    return parts.length > 2 ? Number(parts[2]) + " " + month : month;
  }

  var FORMATS = {
    number: function (v) { return Number.isInteger(v) ? v.toLocaleString("en-US") : plain(v); },
    plain: plain,
    text: String,
    nth: function (v) { return v + "th layer"; },
    yesno: function (v) { return v ? "yes" : "no"; },
    bytes: function (v) { return v >= 1024 ? Math.round(v / 1024).toLocaleString("en-US") + " KiB" : v + " B"; },
    millions: function (v) { return plain(v) + "M"; }
  };

  // ------------------------------------------------------------------ DOM helpers (text only, never markup)

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === false || value == null) return;
      if (name === "className") node.className = value;
      else node.setAttribute(name, value === true ? "" : value);
    });
    (children || []).forEach(function (child) {
      if (child == null || child === false) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function srOnly(text) {
    return el("span", {className: "ql-compare__sr"}, [text]);
  }

  function badge(text, kind) {
    return el("span", {className: "ql-badge ql-compare__badge ql-compare__badge--" + kind}, [text]);
  }

  function list(items, kind) {
    return items.length ? el("ul", {className: "ql-compare__list" + (kind ? " ql-compare__list--" + kind : "")}, items) : null;
  }

  function quoted(text) {
    return "“" + text + "”";
  }

  function joinWords(words) {
    if (words.length < 2) return words.join("");
    return words.slice(0, -1).join(", ") + " and " + words[words.length - 1];
  }

  // ------------------------------------------------------------------ reading a release

  function unique(values) {
    return values.filter(function (value, index) { return values.indexOf(value) === index; });
  }

  function weights(model) {  // fmt.weights
    var states = unique(model.variants.map(function (v) { return v.open_weights; }));
    if (states.length > 1) return "Partly open";
    return states[0] ? "Open" : "Closed";
  }

  function sizes(model) {  // fmt.sizes: distinct disclosed sizes, smallest first
    var seen = {};
    model.variants.forEach(function (v) {
      if (v.params_b == null) return;
      seen[v.params_b + "/" + (v.active_params_b || 0)] = {total: v.params_b, active: v.active_params_b || 0, label: sizeLabel(v)};
    });
    return Object.keys(seen).map(function (k) { return seen[k]; })
      .sort(function (a, b) { return a.total - b.total || a.active - b.active; })
      .map(function (s) { return s.label; });
  }

  function nativeContext(model) {  // Model.native_context
    var values = model.variants.map(function (v) { return v.context || 0; });
    var best = Math.max.apply(null, values.concat([0]));
    return best || null;
  }

  function longestContext(model) {  // Model.longest_context
    var values = model.variants.map(function (v) { return v.context_max || v.context || 0; });
    var best = Math.max.apply(null, values.concat([0]));
    return best || null;
  }

  function largest(model) {  // Model.largest_params_b
    var sizes = model.variants.map(function (v) { return v.params_b; }).filter(function (p) { return p != null; });
    return sizes.length ? Math.max.apply(null, sizes) : null;
  }

  function shaped(model) {
    return model.variants.filter(function (v) { return v.shape; });
  }

  function fieldCount(variant) {
    return Object.keys(variant.shape).length + Object.keys(variant.derived || {}).length;
  }

  function distance(a, b) {  // sizes compared as ratios, as the generations page does: 7B is nearer 14B than 4B is
    return a == null || b == null ? Infinity : Math.abs(Math.log(a / b));
  }

  // The shaped variant nearest `target` in size; ties go to the fuller record, then the earlier variant.
  function nearest(candidates, target) {
    var best = null;
    candidates.forEach(function (v) {
      var d = target == null ? 0 : distance(v.params_b, target);
      if (!best || d < best.d || (d === best.d && fieldCount(v) > fieldCount(best.v))) best = {v: v, d: d};
    });
    return best && best.v;
  }

  // The first release's variant: the one with a like-for-like size in the most other releases (summed size
  // ratios), the fuller record and the larger size breaking ties.
  function firstVariant(models) {
    var candidates = shaped(models[0]);
    var best = null;
    candidates.forEach(function (v) {
      var score = 0;
      models.slice(1).forEach(function (other) {
        var d = Infinity;
        shaped(other).forEach(function (o) { d = Math.min(d, distance(v.params_b, o.params_b)); });
        if (d !== Infinity) score += d;
      });
      if (v.params_b == null) score = Infinity;
      var better = !best || score < best.score ||
        (score === best.score && (fieldCount(v) > fieldCount(best.v) ||
          (fieldCount(v) === fieldCount(best.v) && (v.params_b || 0) > (best.v.params_b || 0))));
      if (better) best = {v: v, score: score};
    });
    return best && best.v;
  }

  // ------------------------------------------------------------------ the page

  function Compare(root) {
    this.root = root;
    this.base = root.getAttribute("data-root") || "../";
    this.form = root.querySelector("[data-ql-compare-form]");
    this.input = this.form.querySelector("input");
    this.datalist = root.querySelector("datalist");
    this.status = root.querySelector("[role=status]");
    this.result = root.querySelector("[data-ql-compare-result]");
    this.models = [];
    this.byId = {};
    this.techniques = {};
    this.columns = [];  // {id, variant: the name a reader (or the URL) chose, else null}
    this.title = document.title;
  }

  Compare.prototype.start = function () {
    var self = this;
    this.form.addEventListener("submit", function (event) {
      event.preventDefault();
      self.add(self.input.value);
    });
    var copy = this.root.querySelector("[data-ql-compare-copy]");
    if (copy) copy.addEventListener("click", function () { self.copyLink(); });
    this.result.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-ql-remove]");
      if (button) self.remove(Number(button.getAttribute("data-ql-remove")));
    });
    this.result.addEventListener("change", function (event) {
      var select = event.target.closest("select[data-ql-variant]");
      if (select) self.chooseVariant(Number(select.getAttribute("data-ql-variant")), select.value);
    });
    var techniques = fetch(this.root.getAttribute("data-techniques"), {credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.json() : {techniques: []}; })
      .catch(function () { return {techniques: []}; });
    fetch(this.root.getAttribute("data-api"), {credentials: "same-origin"})
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (doc) {
        return techniques.then(function (tdoc) { self.load(doc, tdoc); });
      })
      .catch(function (error) { self.failed(error); });
  };

  Compare.prototype.load = function (doc, tdoc) {
    var self = this;
    this.models = doc.models || [];
    this.models.forEach(function (m) { self.byId[m.id] = m; });
    (tdoc.techniques || []).forEach(function (t) { self.techniques[t.id] = t; });
    this.models.forEach(function (m) {
      self.datalist.appendChild(el("option", {value: m.id}, [m.name]));
    });
    this.result.setAttribute("data-state", "ready");
    var problems = this.readQuery();
    this.render();
    this.say(problems.concat(this.guidance()));
  };

  Compare.prototype.failed = function (error) {
    this.result.setAttribute("data-state", "failed");
    var link = el("a", {href: this.base + "models/"}, ["all releases"]);
    this.say([{problem: true, parts: ["The list of releases could not be loaded from the site's API (" + error.message + "). " +
      "Every release has a page of its own: start from ", link, "."]}]);
  };

  // Columns from ?a=…&b=…; unknown and repeated ids are named and left out.
  Compare.prototype.readQuery = function () {
    var self = this;
    var query = new URLSearchParams(window.location.search);
    var unknown = [], repeated = [], problems = [];
    KEYS.split("").forEach(function (key) {
      var id = (query.get(key) || "").trim();
      if (!query.has(key)) return;
      var model = self.byId[id] || self.byId[id.toLowerCase()];
      if (!model) { unknown.push(quoted(id)); return; }
      if (self.indexOf(model.id) !== -1) { repeated.push(model.name); return; }
      var variant = query.get(key + "v");
      var known = variant && shaped(model).some(function (v) { return v.name === variant; });
      if (variant && !known) {
        problems.push({problem: true, parts: [model.name + " has no variant " + quoted(variant) +
          " with a recorded architecture; it shows the one nearest in size instead."]});
      }
      self.columns.push({id: model.id, variant: known ? variant : null});
    });
    if (unknown.length) {
      problems.unshift({problem: true, parts: [
        (unknown.length > 1 ? "No release has the ids " : "No release has the id ") + joinWords(unknown) +
        ", so " + (unknown.length > 1 ? "they are" : "it is") + " left out. Pick releases from the list above: type a name or an id."]});
    }
    if (repeated.length) problems.push({parts: [joinWords(repeated) + " appeared more than once in the address; it is shown once."]});
    return problems;
  };

  Compare.prototype.indexOf = function (id) {
    for (var i = 0; i < this.columns.length; i++) if (this.columns[i].id === id) return i;
    return -1;
  };

  // A release from what a reader typed: its id, its name, or "Name (id)", letter case aside.
  Compare.prototype.find = function (text) {
    var wanted = text.trim().toLowerCase();
    var inParens = /\(([^()]+)\)\s*$/.exec(wanted);
    for (var i = 0; i < this.models.length; i++) {
      var m = this.models[i];
      if (m.id === wanted || m.name.toLowerCase() === wanted || (inParens && m.id === inParens[1].trim())) return m;
    }
    return null;
  };

  Compare.prototype.add = function (text) {
    if (!this.models.length) { this.say([{parts: ["The list of releases is still loading; try again in a moment."]}]); return; }
    if (!text.trim()) { this.say([{problem: true, parts: ["Type the name or id of a release first, then press Add."]}]); this.input.focus(); return; }
    var model = this.find(text);
    if (!model) {
      this.say([{problem: true, parts: ["No release matches " + quoted(text.trim()) + ". Pick one from the list as you type: names and ids both work."]}]);
      this.input.focus();
      return;
    }
    var at = this.indexOf(model.id);
    if (at !== -1) {
      this.say([{parts: [model.name + " is already in the comparison (column " + (at + 1) + ")."]}]);
      this.input.focus();
      return;
    }
    if (this.columns.length >= KEYS.length) {
      this.say([{problem: true, parts: ["At most " + KEYS.length + " releases fit in one comparison: remove one first."]}]);
      return;
    }
    this.columns.push({id: model.id, variant: null});
    this.input.value = "";
    this.changed();
    this.say([{parts: ["Added " + model.name + ": " + this.countText() + "."]}].concat(this.guidance()));
    this.input.focus();
  };

  Compare.prototype.remove = function (index) {
    var column = this.columns[index];
    if (!column) return;
    var name = this.byId[column.id].name;
    this.columns.splice(index, 1);
    this.changed();
    this.say([{parts: ["Removed " + name + ": " + this.countText() + "."]}].concat(this.guidance()));
    var next = this.result.querySelector('button[data-ql-remove="' + Math.min(index, this.columns.length - 1) + '"]');
    (next || this.input).focus();
  };

  Compare.prototype.chooseVariant = function (index, name) {
    this.columns[index].variant = name;
    this.changed();
    var select = this.result.querySelector('select[data-ql-variant="' + index + '"]');
    if (select) select.focus();
  };

  Compare.prototype.countText = function () {
    var n = this.columns.length;
    return n === 0 ? "no release left" : n === 1 ? "1 release" : n + " releases side by side";
  };

  Compare.prototype.guidance = function () {
    if (this.columns.length === 0) {
      return [{parts: ["Add at least two releases to compare them: type a name or id above and press Add."]}];
    }
    if (this.columns.length === 1) {
      return [{parts: ["Add another release to compare with " + this.byId[this.columns[0].id].name + "."]}];
    }
    return [];
  };

  // The query string follows the columns (and the variants a reader chose), so the view can be shared.
  Compare.prototype.changed = function () {
    var query = new URLSearchParams();
    this.columns.forEach(function (column, i) {
      query.set(KEYS[i], column.id);
      if (column.variant) query.set(KEYS[i] + "v", column.variant);
    });
    var search = query.toString();
    window.history.replaceState(window.history.state, "", window.location.pathname + (search ? "?" + search : "") + window.location.hash);
    this.render();
  };

  Compare.prototype.copyLink = function () {
    var self = this, href = window.location.href;
    var done = function () { self.say([{parts: ["Link copied: " + href]}]); };
    var fallback = function () { self.say([{parts: ["Copy this address to share the comparison: " + href]}]); };
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(href).then(done, fallback);
    else fallback();
  };

  Compare.prototype.say = function (messages) {
    var status = this.status;
    status.textContent = "";
    messages.forEach(function (message) {
      status.appendChild(el("p", {className: message.problem ? "ql-compare__problem" : null}, message.parts));
    });
  };

  // ------------------------------------------------------------------ the table

  // The variant each column shows: the reader's choice, else the shaped one nearest the first column's size.
  Compare.prototype.variants = function (models) {
    var chosen = [], reference = null;
    models.forEach(function (model, i) {
      var pick = this.columns[i].variant;
      var own = shaped(model).filter(function (v) { return v.name === pick; })[0];
      if (!own) own = i === 0 ? firstVariant(models) : nearest(shaped(model), reference);
      chosen.push(own || null);
      // The size the others are matched to: the first column's variant, else (none recorded) its largest size.
      if (i === 0) reference = own && own.params_b != null ? own.params_b : largest(model);
    }, this);
    return chosen;
  };

  Compare.prototype.render = function () {
    var self = this;
    var models = this.columns.map(function (c) { return self.byId[c.id]; });
    this.result.textContent = "";
    document.title = models.length ? models.map(function (m) { return m.name; }).join(" vs ") + " · " + this.title : this.title;
    if (!models.length) return;
    var variants = this.variants(models);
    var names = models.map(function (m) { return m.name; });
    var caption = el("caption", {id: "ql-compare-caption"}, [models.length > 1 ? joinWords(names) + " side by side" : names[0]]);
    var head = el("tr", {}, [el("th", {scope: "col"}, ["Release"])].concat(models.map(function (m, i) {
      return el("th", {scope: "col", "data-release": m.id}, [
        el("a", {href: self.base + "models/" + encodeURIComponent(m.id) + "/", className: "ql-compare__name"}, [m.name]), " ",
        el("code", {className: "ql-compare__id"}, [m.id]),
        el("button", {type: "button", className: "ql-compare__remove", "data-ql-remove": String(i)}, ["Remove", srOnly(" " + m.name)])
      ]);
    })));
    var rows = this.releaseRows(models);
    var arch = this.architectureRows(models, variants);
    var body = el("tbody", {}, rows.map(function (r) { return self.row(r); }));
    var archBody = el("tbody", {className: "ql-compare__arch"}, [
      el("tr", {className: "ql-compare__section"}, [el("th", {scope: "rowgroup", colspan: String(models.length + 1), id: "ql-compare-arch"},
        [el("span", {}, ["Architecture of one variant per release"])])])
    ].concat(arch.map(function (r) { return self.row(r); })));
    var table = el("table", {className: "ql-table ql-compare__table"}, [caption, el("thead", {}, [head]), body, archBody]);
    var differing = rows.concat(arch).filter(function (r) { return r.compared && models.length > 1 && r.differs; }).length;
    var compared = rows.concat(arch).filter(function (r) { return r.compared; }).length;
    this.result.appendChild(el("p", {className: "ql-compare__summary"}, [models.length > 1
      ? differing + " of " + compared + " rows differ between the columns."
      : "One release: add another to compare."]));
    this.result.appendChild(el("div", {className: "ql-table-wrap ql-compare__scroll", role: "region", tabindex: "0",
      "aria-labelledby": "ql-compare-caption"}, [table]));
    this.result.appendChild(el("p", {className: "ql-compare__note"}, [
      "Values in italics are computed by the site from the others. “–” marks a value the source does not give and “" +
      NOT_RECORDED + "” a release without a recorded architecture; neither counts as a difference. Techniques are " +
      "marked gained or lost against the column before."]));
  };

  // One row: {field, label, cells: [{key, nodes, attrs}], compared}. A compared row is marked when its cells hold
  // different values; a value no source gives (key null) differs from nothing.
  Compare.prototype.row = function (r) {
    var keys = unique(r.cells.map(function (c) { return c.key; }).filter(function (k) { return k !== null; }));
    r.differs = r.compared && keys.length > 1;
    var header = el("th", {scope: "row"}, [r.label, r.differs ? " " : null, r.differs ? badge("differs", "differs") : null]);
    var cells = r.cells.map(function (c) { return el("td", c.attrs || {}, c.nodes); });
    return el("tr", {
      className: "ql-compare__row" + (r.differs ? " ql-compare__row--differs" : "") + (r.compared ? "" : " ql-compare__row--meta"),
      "data-field": r.field, "data-differs": r.differs ? "true" : null
    }, [header].concat(cells));
  };

  function textCell(key, text) {
    return {key: key, nodes: [text]};
  }

  Compare.prototype.releaseRows = function (models) {
    var self = this;
    function labelled(map, code) { return map[code] || code; }
    return [
      {field: "released", label: "Released", compared: true, cells: models.map(function (m) {
        return {key: m.released, nodes: [el("time", {datetime: m.released}, [dateLabel(m.released)])]};
      })},
      {field: "track", label: "Track", compared: true, cells: models.map(function (m) {
        return textCell(m.track, labelled(LABELS.tracks, m.track));
      })},
      {field: "architecture", label: "Architecture", compared: true, cells: models.map(function (m) {
        return textCell(m.architecture, labelled(LABELS.architectures, m.architecture));
      })},
      {field: "weights", label: "Weights", compared: true, cells: models.map(function (m) {
        return textCell(weights(m), weights(m));
      })},
      {field: "licences", label: "Licence", compared: true, cells: models.map(function (m) {
        var codes = unique(m.variants.map(function (v) { return v.license; }));
        return textCell(codes.slice().sort().join(" "), codes.map(function (c) { return labelled(LABELS.licences, c); }).join("; "));
      })},
      {field: "sizes", label: "Sizes", compared: true, cells: models.map(function (m) {
        var labels = sizes(m);
        return textCell(labels.length ? labels.join(" ") : null, labels.length ? labels.join(" · ") : "not disclosed");
      })},
      {field: "context", label: "Native context", compared: true, cells: models.map(function (m) {
        var n = nativeContext(m);
        return textCell(n, n ? tokens(n) : "not stated");
      })},
      {field: "context_max", label: "Longest context", compared: true, cells: models.map(function (m) {
        var n = longestContext(m);
        return textCell(n, n ? tokens(n) : "not stated");
      })},
      {field: "input", label: "Modalities in", compared: true, cells: models.map(function (m) {
        return textCell(m.modalities.input.slice().sort().join(" "), m.modalities.input.join(", "));
      })},
      {field: "output", label: "Modalities out", compared: true, cells: models.map(function (m) {
        return textCell(m.modalities.output.slice().sort().join(" "), m.modalities.output.join(", "));
      })},
      {field: "techniques", label: "Techniques", compared: true, cells: models.map(function (m, i) {
        return self.techniqueCell(m, i ? models[i - 1] : null);
      })},
      {field: "parents", label: "Parents", compared: true, cells: models.map(function (m) {
        return self.parentCell(m);
      })}
    ];
  };

  Compare.prototype.techniqueLink = function (id) {
    var t = this.techniques[id];
    if (!t) return el("span", {}, [id]);
    return el("a", {href: this.base + "techniques/#" + encodeURIComponent(id), title: t.name}, [t.short || t.name]);
  };

  // A release's techniques; from the second column on, each one it gains or loses against the column before.
  Compare.prototype.techniqueCell = function (model, previous) {
    var self = this;
    var items = model.techniques.map(function (id) {
      var gained = previous && previous.techniques.indexOf(id) === -1;
      return el("li", {className: gained ? "ql-compare__gained" : null, "data-technique": id},
        [self.techniqueLink(id), gained ? " " : null, gained ? badge("gained", "gained") : null]);
    });
    var lost = previous ? previous.techniques.filter(function (id) { return model.techniques.indexOf(id) === -1; }) : [];
    lost.forEach(function (id) {
      items.push(el("li", {className: "ql-compare__lost", "data-technique": id},
        [el("span", {className: "ql-compare__lost-name"}, [self.techniqueLink(id)]), " ", badge("lost", "lost")]));
    });
    return {key: model.techniques.slice().sort().join(" "), nodes: [items.length ? list(items) : "none recorded"]};
  };

  Compare.prototype.parentCell = function (model) {
    var self = this;
    var items = model.parents.map(function (p) {
      var parent = self.byId[p.id];
      var target = parent ? el("a", {href: self.base + "models/" + encodeURIComponent(p.id) + "/"}, [parent.name]) : el("span", {}, [p.id]);
      return el("li", {"data-parent": p.id}, [(LABELS.relations[p.relation] || p.relation) + " ", target]);
    });
    var key = model.parents.map(function (p) { return p.relation + ":" + p.id; }).sort().join(" ");
    return {key: key, nodes: [items.length ? list(items) : "none"]};
  };

  Compare.prototype.architectureRows = function (models, variants) {
    var self = this;
    var rows = [{field: "variant", label: "Variant", compared: false, cells: models.map(function (m, i) {
      return self.variantCell(m, variants[i], i);
    })}];
    LABELS.shape.forEach(function (spec) {
      var label = spec[0], from = spec[1], field = spec[2], format = FORMATS[spec[3]];
      var read = function (v) {
        var value = v ? (v[from] || {})[field] : undefined;
        return value === undefined ? null : value;
      };
      if (!variants.some(function (v) { return read(v) !== null; })) return;  // a row no column has
      rows.push({field: field, label: label, compared: true, cells: variants.map(function (v) {
        if (!v) return {key: null, nodes: [NOT_RECORDED], attrs: {className: "ql-compare__none"}};
        var value = read(v);
        if (value === null) return {key: null, nodes: [NOT_GIVEN]};
        var derived = from === "derived" && !(field === "head_size" && v.shape.head_dim != null);
        var text = format(value);
        return {key: JSON.stringify(value), nodes: [derived ? el("i", {className: "ql-derived"}, [text]) : text]};
      })});
    });
    rows.push({field: "source", label: "Source", compared: false, cells: variants.map(function (v) {
      if (!v) return {key: NOT_RECORDED, nodes: [NOT_RECORDED], attrs: {className: "ql-compare__none"}};
      return {key: v.shape.source, nodes: [el("a", {href: v.shape.source, rel: "noopener"}, ["config", srOnly(" of " + v.name)])]};
    })});
    return rows;
  };

  Compare.prototype.variantCell = function (model, variant, index) {
    var options = shaped(model);
    if (!variant) return {key: NOT_RECORDED, nodes: [NOT_RECORDED], attrs: {className: "ql-compare__none", "data-variant": ""}};
    var attrs = {"data-variant": variant.name};
    if (options.length < 2) return {key: variant.name, nodes: [variant.name], attrs: attrs};
    var id = "ql-compare-variant-" + index;
    var select = el("select", {id: id, "data-ql-variant": String(index)}, options.map(function (v) {
      return el("option", {value: v.name, selected: v === variant}, [v.name]);
    }));
    return {key: variant.name, attrs: attrs, nodes: [el("label", {"for": id, className: "ql-compare__sr"}, ["Variant of " + model.name]), select]};
  };

  function setUp() {
    document.querySelectorAll("[data-ql-compare]").forEach(function (root) {
      new Compare(root).start();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
