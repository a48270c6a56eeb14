// plotly 그림을 책 사이트에 맞추는 스크립트 두 가지 (plotly 그림이 있는 페이지에만 실림, book_offline.py).
//
// 1) 웹 글꼴 뒤 다시 재기: plotly 는 그림을 그릴 때 글자 폭을 재서 여백을 정하고, 잰 값을 (글자 + 스타일 문자열)
//    별로 캐시합니다. 읽는 사람의 컴퓨터에 한글 글꼴이 없어 웹 글꼴(BookKorean)이 나중에 도착하면 축 제목이 눈금
//    글자와 겹칠 수 있으므로, 글꼴이 준비되면 글꼴 목록 문자열을 살짝 바꿔(같은 글꼴, 다른 캐시 키) 다시 그립니다.
// 2) 좁은 화면(휴대폰) 맞춤: 그림은 노트북에서 본문 폭(약 700px)에 맞춰 만들어지므로 390px 화면에서는 제목이
//    잘리고, 메뉴가 서로 겹치고, 슬라이더 글자가 축 제목과 겹칩니다. 그림 폭이 NARROW 보다 좁으면 그려진 SVG 의
//    상자를 재서 고칩니다 — 글자 크기는 줄이지 않고(메뉴만 최소 11px 까지) 자리를 늘립니다:
//    - make_subplots 로 나란히 놓은 칸이 180px 보다 좁으면 위아래로 쌓음
//    - 제목·부제목(make_subplots 의 칸 제목)은 띄어쓰기에서 줄을 바꿈 (슬라이더·드롭다운이 바꿔 넣을 제목들도 함께)
//    - 메뉴는 그림 안으로 들이고, 서로 겹치면 아랫줄로 내림
//    - 제목·메뉴·범례·칸 제목이 겹치면 그림 윗여백을, 슬라이더가 축 글자와 겹치면 슬라이더 위 여백을 늘림
//    넓은 그림에서는 실제로 겹친 것(메뉴끼리, 제목과 메뉴, 슬라이더와 축 글자)만 같은 방법으로 풉니다.
//    화면이 다시 넓어지면 원래 값으로 되돌립니다. 다 맞춘 그림에는 data-book-fit="1" 이 붙습니다(테스트가 기다림).
(function () {
  var NARROW = 600;      // 이 폭(px)보다 좁은 그림만 고침 (본문 폭 그대로인 넓은 화면의 그림은 손대지 않음)
  var GAP = 6;           // 겹치지 않게 띄우는 간격(px)
  var MIN_MENU_FONT = 11;

  function Plotly() { return window.Plotly; }

  function plots() { return Array.prototype.slice.call(document.querySelectorAll(".js-plotly-plot")); }

  function remeasureFonts() {
    if (!Plotly()) return Promise.resolve();
    return Promise.all(plots().map(function (gd) {
      var font = gd._fullLayout && gd._fullLayout.font;
      if (!font || !font.family) return null;
      return Plotly().relayout(gd, { "font.family": font.family + ", sans-serif" });
    }));
  }

  // ---- 글자 폭 재기와 줄 바꿈 -------------------------------------------------------------------------------
  var canvas = document.createElement("canvas");
  function textWidth(text, size, family) {
    var ctx = canvas.getContext("2d");
    ctx.font = size + "px " + family;
    var plain = String(text).replace(/<[^>]*>/g, "").replace(/&[#a-z0-9]+;/gi, "x");
    return ctx.measureText(plain).width;
  }
  function svgFamily(gd) {
    var t = gd.querySelector("svg text");
    return t ? getComputedStyle(t).fontFamily : "sans-serif";
  }
  // text 를 폭 width 안에 들게 띄어쓰기(태그 안의 띄어쓰기는 빼고)에서 <br> 로 나눔. [새 글, 줄 수]
  function wrap(text, width, size, family) {
    if (typeof text !== "string" || !text) return [text, 0];
    var lines = [];
    text.split(/<br\s*\/?>/i).forEach(function (para) {
      var words = para.split(/ +(?![^<]*>)/), line = "";
      words.forEach(function (w) {
        var next = line ? line + " " + w : w;
        if (line && textWidth(next, size, family) > width) { lines.push(line); line = w; } else { line = next; }
      });
      lines.push(line);
    });
    return [lines.join("<br>"), lines.length];
  }

  // ---- 원래 값 기억하고 되돌리기 ---------------------------------------------------------------------------------
  function get(obj, path) {
    return path.split(".").reduce(function (o, k) {
      if (o == null) return undefined;
      var m = /^(\w+)\[(\d+)\]$/.exec(k);
      return m ? (o[m[1]] || [])[+m[2]] : o[k];
    }, obj);
  }
  function copy(v) { return v === undefined ? null : JSON.parse(JSON.stringify(v)); }
  // 고칠 값들(upd)을 적용하기 전에 gd.layout 의 원래 값을 한 번만 기억
  function remember(gd, upd) {
    if (!gd._bookOrig) gd._bookAutosize = gd._fullLayout.autosize;
    gd._bookOrig = gd._bookOrig || {};
    Object.keys(upd).forEach(function (k) {
      if (!(k in gd._bookOrig)) gd._bookOrig[k] = copy(get(gd.layout, k));
    });
    // to_html 이 그림 div 에 높이를 적어 두므로(style="height:…px") 그림을 키우면 div 도 함께
    // (그 바깥 div 에도 같은 높이가 적혀 있음)
    if (upd.height) {
      var outer = gd.parentElement;
      if (gd._bookOrigStyleHeight === undefined) gd._bookOrigStyleHeight = [gd.style.height, outer.style.height];
      gd.style.height = upd.height + "px";
      if (outer.style.height) outer.style.height = upd.height + "px";
      upd.autosize = true;   // 높이를 relayout 하면 plotly 가 autosize 를 끄므로(폭이 화면을 따라가지 않게 됨) 다시 켬
    }
    return Plotly().relayout(gd, upd);
  }
  function restore(gd) {
    var orig = gd._bookOrig;
    gd._bookOrig = null;
    if (gd._bookOrigStyleHeight !== undefined) {
      gd.style.height = gd._bookOrigStyleHeight[0];
      if (gd.parentElement.style.height) gd.parentElement.style.height = gd._bookOrigStyleHeight[1];
      delete gd._bookOrigStyleHeight;
    }
    if (!orig) return Promise.resolve();
    // 높이를 되돌리는 relayout 도 autosize 를 끄므로 처음 값으로 (그래야 폭이 다시 화면을 따라감)
    return Plotly().relayout(gd, orig).then(function () { return Plotly().relayout(gd, { autosize: gd._bookAutosize }); });
  }

  // ---- 그려진 상자 재기 ------------------------------------------------------------------------------------------
  function boxOf(gd, el) {
    var g = gd.getBoundingClientRect(), r = el.getBoundingClientRect();
    if (!r.width && !r.height) return null;
    return { left: r.left - g.left, top: r.top - g.top, right: r.right - g.left, bottom: r.bottom - g.top };
  }
  function boxes(gd, selector) {
    return Array.prototype.slice.call(gd.querySelectorAll(selector))
      .map(function (el) { return boxOf(gd, el); }).filter(Boolean);
  }
  function overlap(a, b) {
    return a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  }

  // 제목을 바꿔 넣는 슬라이더 단계·메뉴 단추의 인자: [args 배열, 제목이 든 객체의 번호]
  function titleArgs(item) {
    var args = item.args || [];
    if (item.method === "update" && args[1]) return [args, 1];
    if (item.method === "relayout" && args[0]) return [args, 0];
    return null;
  }

  // 0단계: 나란한 칸(make_subplots 1행 n열)이 너무 좁으면(칸 폭 < MIN_CELL) 위아래로 쌓음. 칸마다 x 축 도메인을
  // 전체 폭으로, y 축 도메인을 차례로 나누고, 칸 제목(annotation)은 그 칸 위로 옮깁니다.
  var MIN_CELL = 180;
  function stackSubplots(gd) {
    var fl = gd._fullLayout, s = fl._size, upd = {};
    var ids = (fl._subplots && fl._subplots.cartesian) || [];
    if (ids.length < 2) return upd;
    var cells = ids.map(function (id) {
      var m = /^x(\d*)y(\d*)$/.exec(id);
      if (!m) return null;
      var xa = fl["xaxis" + m[1]], ya = fl["yaxis" + m[2]];
      return xa && ya && !xa.overlaying && !ya.overlaying ? { x: "xaxis" + m[1], y: "yaxis" + m[2], xa: xa, ya: ya } : null;
    });
    if (cells.some(function (c) { return !c; })) return upd;
    cells.sort(function (a, b) { return a.xa.domain[0] - b.xa.domain[0]; });
    var sideBySide = cells.every(function (c, i) {
      return Math.abs(c.ya.domain[0] - cells[0].ya.domain[0]) < 0.02 && Math.abs(c.ya.domain[1] - cells[0].ya.domain[1]) < 0.02 &&
        (i === 0 || c.xa.domain[0] >= cells[i - 1].xa.domain[1] - 0.001);
    });
    var narrowest = Math.min.apply(null, cells.map(function (c) { return (c.xa.domain[1] - c.xa.domain[0]) * s.w; }));
    if (!sideBySide || narrowest >= MIN_CELL) return upd;
    // 칸 사이 간격: 위 칸의 x 축 글자(눈금·축 제목)가 그림 영역 아래로 내려가는 만큼 + 아래 칸 제목의 높이
    var plotBottom = s.t + s.h, below = 0, heads = [];
    boxes(gd, ".xaxislayer-above, .xtitle, [class^='g-x'][class$='title']").forEach(function (b) {
      below = Math.max(below, b.bottom - plotBottom);
    });
    var anns = gd.layout.annotations || [], annH = 0;
    anns.forEach(function (a, i) {
      if (a.text && a.xref === "paper" && a.yref === "paper" && a.yanchor === "bottom" &&
          Math.abs(a.y - cells[0].ya.domain[1]) < 0.05) heads.push(i);
    });
    boxes(gd, ".annotation").forEach(function (b) { if (b.bottom <= s.t + 2) annH = Math.max(annH, b.bottom - b.top); });
    var n = cells.length, cellH = Math.max(200, Math.round(s.h * 0.8)), gap = Math.ceil(below + annH + 3 * GAP);
    var total = n * cellH + (n - 1) * gap;
    cells.forEach(function (c, i) {
      var top = i * (cellH + gap), hi = 1 - top / total, lo = 1 - (top + cellH) / total;
      var cx = (c.xa.domain[0] + c.xa.domain[1]) / 2;
      upd[c.x + ".domain"] = [0, 1];
      upd[c.y + ".domain"] = [Math.max(0, lo), Math.min(1, hi)];
      heads.forEach(function (k) {
        if (Math.abs(anns[k].x - cx) < 0.05) { upd["annotations[" + k + "].x"] = 0.5; upd["annotations[" + k + "].y"] = Math.min(1, hi); }
      });
    });
    upd["height"] = Math.round(fl.height - s.h + total);
    return upd;
  }

  // 1단계: 글자 줄 바꿈 (제목과 그 제목을 바꾸는 단계들, 칸 제목)
  function wrapTexts(gd) {
    var fl = gd._fullLayout, W = fl.width, family = svgFamily(gd), upd = {};
    var tsize = fl.title.font.size, lineH = 1.3 * tsize, maxLines = 1;
    var avail = W - (fl.title.pad.l || 0) - 2 * GAP;
    var wrapTitle = function (t) { var r = wrap(t, avail, tsize, family); maxLines = Math.max(maxLines, r[1]); return r[0]; };
    var title = gd.layout.title && typeof gd.layout.title === "object" ? gd.layout.title.text : gd.layout.title;
    if (title) upd["title.text"] = wrapTitle(title);
    ["sliders", "updatemenus"].forEach(function (kind) {
      (gd.layout[kind] || []).forEach(function (ctl, i) {
        var key = kind === "sliders" ? "steps" : "buttons", items = copy(ctl[key] || []), changed = false;
        items.forEach(function (item) {
          var ta = titleArgs(item);
          if (!ta) return;
          var obj = ta[0][ta[1]];
          ["title.text", "title"].forEach(function (k) {
            if (typeof obj[k] === "string" && obj[k]) { obj[k] = wrapTitle(obj[k]); changed = true; }
          });
        });
        if (changed) upd[kind + "[" + i + "]." + key] = items;
      });
    });
    // make_subplots 의 칸 제목: 그림 위쪽의 paper 기준 글(yanchor bottom). 옆 칸 제목과 겹치지 않을 폭으로
    var anns = gd.layout.annotations || [], heads = [];
    anns.forEach(function (a, i) {
      if (a.text && a.xref === "paper" && a.yref === "paper" && a.yanchor === "bottom" && a.y >= 0.9) heads.push(i);
    });
    var xs = heads.map(function (i) { return anns[i].x * fl._size.w + fl._size.l; }).sort(function (a, b) { return a - b; });
    var spacing = W - 2 * GAP;
    for (var k = 1; k < xs.length; k++) spacing = Math.min(spacing, xs[k] - xs[k - 1] - GAP);
    heads.forEach(function (i) {
      var fa = fl.annotations[i], r = wrap(anns[i].text, spacing, fa.font.size, family);
      if (r[1] > 1) upd["annotations[" + i + "].text"] = r[0];
    });
    // 오른쪽에 세로로 선 범례는 좁은 그림 영역을 더 좁히므로 그림 위에 가로로 (겹침은 makeRoom 이 풂)
    var lg = fl.legend;
    if (fl.showlegend && lg && lg.orientation === "v" && lg.x >= 1 && lg.xref !== "container") {
      upd["legend.orientation"] = "h";
      upd["legend.x"] = 0;
      upd["legend.xanchor"] = "left";
      upd["legend.y"] = 1.02;
      upd["legend.yanchor"] = "bottom";
    }
    if (upd["title.text"] && maxLines > 1) {
      // 제목을 그림 맨 위에 붙이고 늘어난 줄 수만큼 그림을 키움 (그림 영역과 그 위의 메뉴·범례는 그만큼 아래로)
      var extra = Math.ceil((maxLines - 1) * lineH);
      upd["height"] = fl.height + extra;
      upd["margin.t"] = fl.margin.t + extra;
      upd["title.yref"] = "container";
      upd["title.yanchor"] = "top";
      upd["title.y"] = 1 - GAP / upd["height"];
    }
    return upd;
  }

  // 2단계: 메뉴를 그림 안으로, 서로 겹치지 않게. paper 좌표는 그림 영역(plot area) 기준이라 px 로 바꿔 계산
  function placeMenus(gd) {
    var fl = gd._fullLayout, W = fl.width, upd = {}, s = fl._size;
    var menus = gd.layout.updatemenus || [];
    var heads = gd.querySelectorAll(".updatemenu-header-group");
    if (!menus.length || heads.length !== menus.length) return upd;
    var placed = [], moved = false;
    // 좁은 그림: 메뉴 묶음 전체를 왼쪽 끝(GAP)으로 옮겨 자리를 넓힘 (메뉴 사이의 간격은 그대로)
    var lefts = Array.prototype.map.call(heads, function (h) { var b = boxOf(gd, h); return b ? b.left : Infinity; });
    var shiftX = W < NARROW ? GAP - Math.min.apply(null, lefts) : 0;
    menus.forEach(function (m, i) {
      var b = boxOf(gd, heads[i]);
      if (!b) return;
      var fm = fl.updatemenus[i], width = b.right - b.left, height = b.bottom - b.top;
      if (width > W - 2 * GAP) {   // 메뉴 글자가 그림보다 넓음: 글자를 줄임(최소 MIN_MENU_FONT)
        var size = Math.max(MIN_MENU_FONT, Math.floor(fm.font.size * (W - 2 * GAP) / width));
        upd["updatemenus[" + i + "].font.size"] = size;
        width = width * size / fm.font.size;
      }
      var left = Math.min(Math.max(b.left + (isFinite(shiftX) ? shiftX : 0), GAP), W - GAP - width), top = b.top;
      // 앞의 메뉴와 겹치면: 같은 줄이면 옆으로(모자라면 아랫줄 왼쪽), 아래에 걸쳐 있으면 그 아래로
      for (var guard = 0; guard < 20; guard++) {
        var cand = { left: left, right: left + width, top: top, bottom: top + height };
        var hit = placed.filter(function (p) { return overlap(p, cand); })[0];
        if (!hit) break;
        if (Math.abs(cand.top - hit.top) < height / 2 && hit.right + GAP + width <= W - GAP) left = hit.right + GAP;
        else if (Math.abs(cand.top - hit.top) < height / 2) { left = GAP; top = hit.bottom + GAP; }
        else top = hit.bottom + GAP;
      }
      placed.push({ i: i, left: left, right: left + width, top: top, bottom: top + height, above: b.top < s.t,
                    pad: fm.pad.t || 0, moved: Math.abs(top - b.top) > 0.5 });
      if (Math.abs(left - b.left) > 0.5) {
        upd["updatemenus[" + i + "].x"] = fm.xanchor === "right" ? (left + width - s.l) / s.w
          : fm.xanchor === "center" ? (left + width / 2 - s.l) / s.w : (left - s.l) / s.w;
        upd["updatemenus[" + i + "].xanchor"] = fm.xanchor === "auto" ? "left" : fm.xanchor;
      }
      if (Math.abs(top - b.top) > 0.5) moved = true;
    });
    if (!moved) return upd;
    // 그림 위쪽 메뉴들이 그림 영역까지 내려오면 그만큼 윗여백을 늘리고(그림 영역이 내려감), 메뉴 자리는 새 영역 기준으로
    var over = Math.max.apply(null, placed.filter(function (p) { return p.above; })
      .map(function (p) { return p.bottom + GAP - s.t; }).concat([0]));
    var newT = s.t + Math.max(0, Math.ceil(over));
    if (newT > s.t) { upd["margin.t"] = newT; upd["height"] = fl.height + newT - s.t; }
    placed.forEach(function (p) {
      if (!(p.moved || (newT > s.t && p.above))) return;
      var base = p.above ? newT : s.t;
      upd["updatemenus[" + p.i + "].yanchor"] = "top";
      upd["updatemenus[" + p.i + "].y"] = 1 - (p.top - p.pad - base) / s.h;
    });
    return upd;
  }

  // 3단계: 위쪽(제목 ↔ 메뉴·범례·칸 제목)과 아래쪽(축 글자 ↔ 슬라이더)의 겹침을 여백으로 풂
  function makeRoom(gd) {
    var fl = gd._fullLayout, upd = {}, s = fl._size;
    var title = boxes(gd, ".g-gtitle text")[0];
    var top = boxes(gd, ".updatemenu-header-group, .legend, .annotation").filter(function (b) {
      return b.bottom <= s.t + 2;     // 그림 영역 위에 있는 것들
    });
    // 제목: 그림 맨 위(GAP)에 붙임. 여러 줄 제목은 plotly 가 기준점 위로도 그리므로 잰 위치로 맞춤
    var ft = fl.title, pinned = ft.yref === "container" && ft.yanchor === "top" && typeof ft.y === "number";
    var shift = title ? GAP - title.top : 0;
    var needTop = title ? title.bottom + shift + GAP : 0;
    var topMost = Math.min.apply(null, top.map(function (b) { return b.top; }).concat([Infinity]));
    var dTop = topMost < needTop ? Math.ceil(needTop - topMost) : 0;
    // 슬라이더: 위에 있는 축 글자(눈금, 축 제목, 범례)보다 아래로
    var dBottom = 0;
    var sliders = gd.querySelectorAll(".slider-container");
    Array.prototype.forEach.call(sliders, function (el, i) {
      var sb = boxOf(gd, el);
      if (!sb) return;
      var above = boxes(gd, ".xaxislayer-above, .xtitle, [class*='x'][class$='title'] text, .legend")
        .filter(function (b) { return b.top < sb.top && b.right > sb.left && b.left < sb.right; });
      var lowest = Math.max.apply(null, above.map(function (b) { return b.bottom; }).concat([-Infinity]));
      if (lowest + GAP > sb.top) {
        var d = Math.ceil(lowest + GAP - sb.top);
        upd["sliders[" + i + "].pad.t"] = (fl.sliders[i].pad.t || 0) + d;
        dBottom = Math.max(dBottom, d);
      }
    });
    var H = fl.height + dTop + dBottom;
    if (dTop || dBottom) {
      upd["height"] = H;
      if (dTop) upd["margin.t"] = s.t + dTop;
      if (dBottom) upd["margin.b"] = fl.margin.b + dBottom;
    }
    var narrow = fl.width < NARROW;
    if (title && (dTop || title.top < 0 || (narrow && (Math.abs(shift) > 1 || !pinned)) || (pinned && dBottom))) {
      // 제목은 그림 맨 위에 (paper 기준인 나머지만 여백만큼 내려감). 기준점과 그려진 윗변의 차이는 그대로 둠
      var anchorPx = pinned ? (1 - ft.y) * fl.height : GAP;
      var offset = pinned ? title.top - anchorPx : 0;
      upd["title.yref"] = "container";
      upd["title.yanchor"] = "top";
      upd["title.y"] = 1 - (GAP - offset) / H;
    }
    return upd;
  }

  function nonEmpty(upd) { return Object.keys(upd).length > 0; }

  function fit(gd) {
    if (!gd._fullLayout || !Plotly()) return Promise.resolve();
    var width = gd._fullLayout.width;
    if (gd._bookFitWidth === width) return Promise.resolve();
    var start = gd._bookOrig ? restore(gd) : Promise.resolve();
    return start.then(function () {
      gd._bookFitWidth = width;
      var step = function (make) {
        return function () { var upd = make(gd); return nonEmpty(upd) ? remember(gd, upd) : null; };
      };
      // 넓은 그림: 실제로 겹친 것만 풂 (메뉴끼리·제목과 메뉴·슬라이더와 축 글자). 대개 아무것도 바꾸지 않음
      if (width >= NARROW) return Promise.resolve().then(step(placeMenus)).then(step(makeRoom)).then(step(makeRoom));
      // 메뉴 글자를 줄이면 폭이 다시 정해지므로 두 번, 여백은 늘린 뒤 자동 여백·제목이 따라 움직이므로 세 번까지
      return Promise.resolve().then(step(stackSubplots)).then(step(wrapTexts)).then(step(placeMenus)).then(step(placeMenus))
        .then(step(makeRoom)).then(step(makeRoom)).then(step(makeRoom));
    }).catch(function (err) { if (window.console) console.warn("plotly 그림 맞춤 실패:", err); })
      .then(function () { gd.setAttribute("data-book-fit", "1"); });
  }

  function fitAll() {
    return Promise.all(plots().map(function (gd) { gd.removeAttribute("data-book-fit"); gd._bookFitWidth = null; return fit(gd); }));
  }

  var timer = null;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      plots().forEach(function (gd) { if (gd._fullLayout && gd._fullLayout.width !== gd._bookFitWidth) fit(gd); });
    }, 250);
  });

  // late-loader.js 가 plotly.js 를 싣고 줄 선 그림을 다 그린 뒤 부릅니다: 한 번 맞추고, 웹 글꼴이 오면 다시
  window.bookPlotlyFitStart = function () {
    setTimeout(function () {
      var fonts = document.fonts && document.fonts.load
        ? document.fonts.load('12px "BookKorean"', "한글").then(function () { return document.fonts.ready; })
        : Promise.resolve();
      fonts.then(remeasureFonts).catch(function () {}).then(fitAll);
    }, 0);
  };
  window.bookPlotlyFit = fitAll;   // 테스트·디버그용
})();
