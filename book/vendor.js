#!/usr/bin/env node
// node_modules 에서 책이 오프라인으로 쓸 브라우저 파일만 book/_vendor/vendor/ 로 복사합니다 (git 에는 넣지 않음).
// Sphinx 는 book/_vendor 를 html_static_path 로 받아 _build/html/_static/vendor/ 로 내보냅니다.
// 실행: `npm ci && node book/vendor.js` (Makefile 의 `make vendor`).
"use strict";
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const nm = path.join(root, "node_modules");
const out = path.join(__dirname, "_vendor", "vendor");

function copy(src, dest) {
  const from = path.join(nm, src);
  if (!fs.existsSync(from)) {
    console.error(`없음(missing): node_modules/${src} — 먼저 \`npm ci\` 를 실행하세요.`);
    process.exit(1);
  }
  const to = path.join(out, dest);
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.cpSync(from, to, { recursive: true });
}

fs.rmSync(out, { recursive: true, force: true });

// MathJax 3: 구성 요소 하나(tex-mml-chtml)와 그것이 필요할 때 부르는 폴더들(확장, 글꼴, 메뉴, 접근성)
copy("mathjax/es5/tex-mml-chtml.js", "mathjax/tex-mml-chtml.js");
for (const dir of ["input", "output", "ui", "a11y", "adaptors", "sre"]) {
  copy(`mathjax/es5/${dir}`, `mathjax/${dir}`);
}
copy("mathjax/LICENSE", "mathjax/LICENSE");

// plotly.js: 파이썬 plotly 가 만든 그림과 같은 판 (package.json 에 고정)
copy("plotly.js-dist-min/plotly.min.js", "plotly.min.js");

// bertviz·ipywidgets 용: d3 v5, jQuery, require.js
copy("d3/dist/d3.min.js", "d3.min.js");
copy("jquery/dist/jquery.min.js", "jquery.min.js");
copy("requirejs/require.js", "require.min.js");

// ipywidgets HTML manager (embed-amd.js 와 그것이 상대 경로로 부르는 글꼴 파일들)
const hm = path.join(nm, "@jupyter-widgets/html-manager/dist");
for (const f of fs.readdirSync(hm)) {
  // embed-amd.js 는 libembed-amd 를 안에 품고 있고, 글꼴은 브라우저가 woff2/woff 만 씁니다.
  if (!(f === "embed-amd.js" || f.endsWith(".woff2") || f.endsWith(".woff"))) continue;
  copy(`@jupyter-widgets/html-manager/dist/${f}`, `html-manager/${f}`);
}

// 강의 슬라이드(make slides): reveal.js 본체·기본 CSS·발표자 노트 플러그인 (테마는 book/slides/theme.css)
copy("reveal.js/dist/reveal.js", "reveal.js/reveal.js");
copy("reveal.js/dist/reveal.css", "reveal.js/reveal.css");
copy("reveal.js/dist/reset.css", "reveal.js/reset.css");
copy("reveal.js/plugin/notes/notes.js", "reveal.js/plugin/notes.js");
copy("reveal.js/LICENSE", "reveal.js/LICENSE");

// 한글 웹 글꼴 (Pretendard, SIL OFL 1.1): 한 파일짜리 woff2
copy("pretendard/dist/web/static/woff2/Pretendard-Regular.woff2", "fonts/Pretendard-Regular.woff2");
copy("pretendard/dist/web/static/woff2/Pretendard-Bold.woff2", "fonts/Pretendard-Bold.woff2");
copy("pretendard/dist/LICENSE.txt", "fonts/LICENSE-Pretendard.txt");

let total = 0;
(function walk(d) {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p); else total += fs.statSync(p).size;
  }
})(out);
console.log(`book/_vendor/vendor: ${(total / 1e6).toFixed(1)} MB 복사함`);
