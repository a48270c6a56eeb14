/* live_widgets.js — 책 사이트의 살아 있는 그림들. 노트북 셀이 빌드 때 남긴 <div class="tl-live" data-live="…"> 자리를
 * 찾아 조작 화면을 만듭니다 (transformer_lib/viz/_live.py). 모델 계산은 transformer_live.js(TransformerLive)가 합니다.
 *   data-live="explorer"       번역기 탐색기: 문장 입력, 번역, 종류·층·헤드, 히트맵, 단계별 디코딩, 헤드 하나의 계산
 *   data-live="softmax-scale"  점수 × 배율 c 의 소프트맥스 막대그림 (1장)
 * 층·헤드 번호는 책 전체(코드, bertviz)처럼 0부터 셉니다.
 */
(function () {
  "use strict";
  // 세 스크립트(가중치, 모델, 이 파일)는 async 로 실립니다: 페이지의 다른 내용(plotly 그림, 수식)을 다 읽기 전에도
  // 내려받는 대로 실행되어 첫 지도가 빨리 나옵니다. 그래서 실행 순서가 정해져 있지 않아, 둘이 모두 정의될 때를 기다립니다.
  let TL = null, modelPromise = null;
  const ready = () => new Promise((resolve) => (function wait() {
    if (window.TransformerLive && window.TRANSFORMER_LIVE_WEIGHTS) resolve((TL = window.TransformerLive));
    else setTimeout(wait, 4);
  })());
  const getModel = () => (modelPromise = modelPromise || ready().then((tl) => tl.load(window.TRANSFORMER_LIVE_WEIGHTS)));
  let uid = 0;

  // viridis 색 (matplotlib 의 값 9개 사이를 선형 보간) — 파이썬 탐색기의 히트맵과 같은 색
  const VIRIDIS = ["#440154", "#472d7b", "#3b528b", "#2c728e", "#21918c", "#28ae80", "#5ec962", "#addc30", "#fde725"]
    .map((h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)));
  function color(v) {
    const x = Math.max(0, Math.min(1, v)) * (VIRIDIS.length - 1), i = Math.min(Math.floor(x), VIRIDIS.length - 2), f = x - i;
    const c = VIRIDIS[i].map((a, k) => Math.round(a + (VIRIDIS[i + 1][k] - a) * f));
    return `rgb(${c[0]},${c[1]},${c[2]})`;
  }
  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  const fill = (t, v) => t.replace(/\{(\w+)\}/g, (_, k) => String(v[k]));   // transformer_live.js 의 fill 과 같음
  const softmax = (xs) => { const m = Math.max(...xs), e = xs.map((x) => Math.exp(x - m)), z = e.reduce((a, b) => a + b, 0); return e.map((v) => v / z); };

  function el(tag, attrs, html) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (html != null) e.innerHTML = html;
    return e;
  }
  function select(label, options, value, cls) {
    const id = `tl-${++uid}`, wrap = el("label", { class: "tl-field", for: id }, `<span>${esc(label)}</span>`);
    const s = el("select", { id, class: cls });
    for (const [v, text] of options) s.appendChild(el("option", { value: String(v) }, esc(text)));
    s.value = String(value);
    wrap.appendChild(s);
    return [wrap, s];
  }

  /** 히트맵: HTML 표. 행 = 쿼리, 열 = 키. masked(i, j) 이면 회색 빈칸. 칸마다 data-v 에 정확한 값. */
  function heatmap(w, rows, cols, masked, highlight, M) {
    const head = cols.map((c, j) => `<th scope="col" data-j="${j}">${esc(c)}</th>`).join("");
    const body = w.map((row, i) => {
      const tds = row.map((v, j) => {
        if (masked && masked(i, j)) return `<td class="tl-masked" title="${esc(M.masked_cell)}" data-v="${v}"></td>`;
        return `<td style="background:${color(v)};color:${v > 0.59 ? "#000" : "#fff"}" title="${v.toFixed(3)}" data-v="${v}">${v.toFixed(2)}</td>`;
      }).join("");
      return `<tr${i === highlight ? ' class="tl-current"' : ""}><th scope="row">${esc(rows[i] == null ? "" : rows[i])}</th>${tds}</tr>`;
    }).join("");
    return `<table class="tl-heat"><thead><tr><th></th>${head}</tr></thead><tbody>${body}</tbody></table>`;
  }

  function bars(items, cls) { // items: [[이름, 값 0..1, 강조?]]
    return `<div class="tl-bars ${cls || ""}">` + items.map(([name, v, on]) =>
      `<div class="tl-bar${on ? " tl-on" : ""}"><span class="tl-bar-name">${esc(name)}</span>` +
      `<span class="tl-bar-track"><span class="tl-bar-fill" style="width:${(100 * v).toFixed(1)}%;background:${color(v)}"></span></span>` +
      `<span class="tl-bar-val">${v.toFixed(3)}</span></div>`).join("") + "</div>";
  }

  function matrix(m, rowNames, colNames, digits, maskM) {
    const head = colNames ? `<tr><th></th>${colNames.map((c) => `<th>${esc(c)}</th>`).join("")}</tr>` : "";
    const body = m.map((r, i) => `<tr><th>${esc(rowNames[i])}</th>${r.map((v, j) =>
      maskM && !maskM[i][j] ? '<td class="tl-masked">−∞</td>' : `<td>${typeof v === "boolean" ? (v ? "True" : "False") : v.toFixed(digits)}</td>`).join("")}</tr>`).join("");
    return `<div class="tl-scroll"><table class="tl-matrix">${head}${body}</table></div>`;
  }

  // ------------------------------------------------------------------------------------------ 번역기 탐색기
  function explorer(root, opt) {
    const kinds = opt.kinds || ["cross", "encoder", "decoder"];
    root.innerHTML = "";
    const form = el("div", { class: "tl-form" });
    const inputId = `tl-${++uid}`;
    form.appendChild(el("label", { for: inputId, class: "tl-input-label" }, "한국어 문장"));
    const input = el("input", { id: inputId, class: "tl-input", type: "text", value: opt.sentence || "", autocomplete: "off",
      spellcheck: "false", lang: "ko" });
    form.appendChild(input);
    root.appendChild(form);
    const out = el("div", { class: "tl-output", "aria-live": "polite" });
    const translation = el("div", { class: "tl-translation" }), message = el("div", { class: "tl-message" });
    out.append(translation, message);
    root.appendChild(out);
    const controls = el("div", { class: "tl-controls" });
    root.appendChild(controls);
    const heat = el("div", { class: "tl-scroll tl-heatmap", tabindex: "0", role: "region", "aria-label": "어텐션 히트맵" });
    const caption = el("div", { class: "tl-caption" });
    root.append(heat, caption);
    const stepBox = opt.steps === false ? null : el("div", { class: "tl-steps" });
    if (stepBox) root.appendChild(stepBox);
    const detail = opt.detail ? el("details", { class: "tl-detail" }) : null;
    if (detail) root.appendChild(detail);
    root.setAttribute("data-ready", "loading");

    getModel().then((model) => {
      const M = model.M;
      const [kindWrap, kindSel] = select("종류", kinds.map((k) => [k, M["kind_" + k]]), kinds[0], "tl-kind");
      const [layerWrap, layerSel] = select("층", [...Array(model.nDec).keys()].map((i) => [i, fill(M.layer, { i })]),
        opt.layer == null ? model.nDec - 1 : opt.layer, "tl-layer");
      const [headWrap, headSel] = select("헤드", [...Array(model.h).keys()].map((i) => [i, fill(M.head, { i })])
        .concat([["mean", M.head_mean]]), opt.head == null ? 0 : opt.head, "tl-head");
      if (kinds.length > 1) controls.appendChild(kindWrap);
      controls.append(layerWrap, headWrap);
      let stepSel = null, stepInfo = null;
      if (stepBox) {
        const id = `tl-${++uid}`;
        stepBox.innerHTML = `<div class="tl-step-head"><label for="${id}">디코딩 단계</label>` +
          `<button type="button" class="tl-prev" aria-label="이전 단계">◀</button>` +
          `<input id="${id}" class="tl-step" type="range" min="0" max="0" value="0">` +
          `<button type="button" class="tl-next" aria-label="다음 단계">▶</button><output class="tl-step-label"></output></div>` +
          `<div class="tl-step-body"><div class="tl-step-cross"></div><div class="tl-step-top5"></div></div>`;
        stepSel = stepBox.querySelector(".tl-step");
        stepInfo = stepBox;
        stepBox.querySelector(".tl-prev").onclick = () => { stepSel.value = Math.max(0, +stepSel.value - 1); draw(); };
        stepBox.querySelector(".tl-next").onclick = () => { stepSel.value = Math.min(+stepSel.max, +stepSel.value + 1); draw(); };
        stepSel.oninput = draw;
      }
      let result = null;

      function analyse() {
        result = model.translate(input.value);
        const color = { ok: "tl-ok", warning: "tl-warning", error: "tl-error" }[result.level];
        translation.innerHTML = result.ok ? `<b>${esc(M.label_translation)}</b> <span class="tl-en">${esc(result.translation) || esc(M.empty_translation)}</span>` : "";
        message.className = `tl-message ${color}`;
        message.innerHTML = result.message ? `<b>${esc(result.level === "warning" ? M.label_warning : M.label_error)}</b> ${esc(result.message)}` : "";
        if (stepSel && result.ok) { stepSel.max = result.steps.length - 1; stepSel.value = 0; }
        draw();
      }

      function draw() {
        const t0 = performance.now();
        if (!result || !result.ok) {
          heat.innerHTML = ""; caption.textContent = ""; if (stepInfo) stepInfo.hidden = true; if (detail) detail.hidden = true;
          root.setAttribute("data-ready", "yes");
          return;
        }
        const kind = kindSel.value, layer = +layerSel.value, head = headSel.value === "mean" ? "mean" : +headSel.value;
        const a = model.attention(result, kind, layer, head);
        const step = stepSel ? +stepSel.value : -1;
        caption.textContent = fill(M.heatmap_caption, { kind: M["kind_" + kind], layer: fill(M.layer, { i: layer }),
          head: head === "mean" ? M.head_mean : fill(M.head, { i: head }) });
        heat.innerHTML = heatmap(a.weights, a.rows, a.cols, kind === "decoder" ? (i, j) => j > i : null,
          kind === "encoder" ? -1 : step, M);
        if (stepInfo) {
          stepInfo.hidden = false;
          const s = result.steps[step], cross = model.attention(result, "cross", layer, head).weights[step];
          stepInfo.querySelector(".tl-step-label").textContent =
            `${step} / ${result.steps.length - 1}: 입력 ${s.input} → 출력 ${s.output == null ? "(없음)" : s.output}`;
          stepInfo.querySelector(".tl-step-cross").innerHTML =
            `<div class="tl-sub">이 단계가 쓴 크로스 어텐션 행 (${esc(fill(M.layer, { i: layer }))}, ${esc(head === "mean" ? M.head_mean : fill(M.head, { i: head }))})</div>` +
            bars(result.srcTokens.map((tok, j) => [tok, cross[j], cross[j] === Math.max(...cross)]), "tl-cross-row");
          stepInfo.querySelector(".tl-step-top5").innerHTML = `<div class="tl-sub">다음 단어 확률 상위 5개</div>` +
            bars(s.top5.map((c) => [c.token, c.p, c.id === s.top5[0].id]), "tl-top5");
        }
        if (detail) drawDetail(kind, layer, head);
        root.setAttribute("data-ready", "yes");
        root.dataset.drawMs = (performance.now() - t0).toFixed(2);
      }

      function drawDetail(kind, layer, head) {
        detail.hidden = false;
        const h = head === "mean" ? 0 : head;
        const summary = `<summary>이 헤드의 계산 자세히 보기 — Q, K, V, 점수, 마스크, 소프트맥스 (${esc(fill(M.layer, { i: layer }))}, ${esc(fill(M.head, { i: h }))}${head === "mean" ? ", 헤드 평균 대신 헤드 0" : ""})</summary>`;
        if (!detail.open) { detail.innerHTML = summary; return; }   // 닫혀 있으면 표는 만들지 않음 (열 때 그림)
        const d = model.headDetail(result, kind, layer, h), a = model.attention(result, kind, layer, h);
        const dk = d.q[0].length, cols = [...Array(dk).keys()].map(String);
        detail.innerHTML = summary +
          `<p>쿼리 Q = (행 토큰의 벡터) W_q 의 이 헤드 조각 (d_k = ${dk}), 키 K·밸류 V 도 같은 방식. 점수 = QKᵀ / √d_k, 마스크 True = 참여, 가중치 = softmax(가린 점수).</p>` +
          `<h4>Q (${d.q.length} × ${dk})</h4>` + matrix(d.q, a.rows, cols, 2) +
          `<h4>K (${d.k.length} × ${dk})</h4>` + matrix(d.k, a.cols, cols, 2) +
          `<h4>V (${d.v.length} × ${dk})</h4>` + matrix(d.v, a.cols, cols, 2) +
          `<h4>점수 QKᵀ / √d_k</h4>` + matrix(d.scores, a.rows, a.cols, 2) +
          `<h4>마스크 (True = 참여)</h4>` + matrix(d.mask, a.rows, a.cols, 0) +
          `<h4>소프트맥스 (가려진 칸 = −∞ → 0)</h4>` + matrix(d.weights, a.rows, a.cols, 3);
      }
      if (detail) detail.addEventListener("toggle", () => { if (detail.open && !detail.querySelector("table")) draw(); });

      let timer = null;
      input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(analyse, 120); });
      input.addEventListener("keydown", (e) => { if (e.key === "Enter") { clearTimeout(timer); analyse(); } });
      for (const s of [kindSel, layerSel, headSel]) s.addEventListener("change", draw);
      root.tlAnalyse = analyse; // 테스트·벤치마크용
      analyse();
    }).catch((e) => {
      root.setAttribute("data-ready", "failed");
      root.innerHTML = `<p class="tl-error">브라우저에서 모델을 불러오지 못했습니다: ${esc(e && e.message)}</p>`;
    });
  }

  // ------------------------------------------------------------------------------------------ 1장: 배율 c
  function softmaxScale(root, opt) {
    const id = `tl-${++uid}`, tokens = opt.tokens, scores = opt.scores;
    root.innerHTML = `<div class="tl-controls"><label class="tl-field" for="${id}"><span>${esc(opt.label || "배율 c")}</span>` +
      `<input id="${id}" class="tl-scale" type="range" min="${opt.min}" max="${opt.max}" step="${opt.step}" value="${opt.value}">` +
      `<output class="tl-scale-value"></output></label></div><div class="tl-chart"></div>`;
    const slider = root.querySelector("input"), chart = root.querySelector(".tl-chart"), value = root.querySelector("output");
    function draw() {
      const c = +slider.value, w = softmax(scores.map((s) => c * s)), top = Math.max(...w);
      value.textContent = c.toFixed(2);
      chart.innerHTML = `<div class="tl-sub">${esc(fill(opt.title, { c: c.toFixed(2) }))}</div>` +
        bars(tokens.map((t, j) => [t, w[j], w[j] === top]), "tl-scale-bars");
      root.setAttribute("data-ready", "yes");
    }
    slider.addEventListener("input", draw);
    draw();
  }

  const BUILDERS = { explorer, "softmax-scale": softmaxScale };
  function parsed(node) { // 파서가 이 자리를 다 읽었나: 자기나 조상 뒤에 무언가 이미 있으면 닫힌 것
    if (document.readyState !== "loading") return true;
    for (let n = node; n && n !== document.body; n = n.parentNode) if (n.nextSibling) return true;
    return false;
  }
  function init() {
    for (const root of document.querySelectorAll(".tl-live[data-live]")) {
      if (root.getAttribute("data-ready") || !parsed(root)) continue;
      const build = BUILDERS[root.getAttribute("data-live")];
      if (build) build(root, JSON.parse(root.getAttribute("data-options") || "{}"));
    }
  }
  init();
  if (document.readyState === "loading") { // 아직 읽는 중이면 자리가 나타나는 대로 만들고, 다 읽은 뒤 한 번 더
    const obs = new MutationObserver(init);
    obs.observe(document.documentElement, { childList: true, subtree: true });
    document.addEventListener("DOMContentLoaded", () => { obs.disconnect(); init(); });
  }
})();
