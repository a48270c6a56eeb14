// 무거운 스크립트를 늦게 싣는 작은 스크립트 (book_offline.py 가 필요한 페이지의 <head>에 일반 스크립트로 붙임).
//
// plotly.js(4.8 MB)나 MathJax(1.2 MB)를 <head>에서 (defer 로라도) 실으면, 브라우저가 그것을 읽고 실행하는 동안
// 다른 스크립트가 기다립니다. 9장에서는 그동안 번역기 탐색기가 첫 지도를 그리지 못했습니다(열기 → 첫 지도 1.3~1.9초).
// 그래서 이 스크립트의 data- 속성에 적힌 것을, 페이지를 다 읽은 뒤(DOMContentLoaded), 브라우저 안의 그림(.tl-live)이
// 있으면 그것이 다 그려진 뒤에(data-ready = yes 또는 failed, 길어도 3초) 싣습니다:
//   data-plotly="vendor/plotly.min.js"   본문의 plotly 그림 코드는 빌드 때 `window.bookPlotly(function () { … })`로
//                                        감싸 줄을 세웠다가, plotly.js 가 실리면 차례로 그립니다. 그다음
//                                        plotly-fonts.js 의 맞춤(window.bookPlotlyFitStart)을 부릅니다.
//   data-mathjax="vendor/mathjax/…js"    MathJax 설정(window.MathJax = {…})은 <head>에 그대로 있고, 실리면 수식을 조판합니다.
// 모두 끝나면 <html data-book-late="done"> 을 붙입니다(브라우저 테스트가 networkidle 대신 이것을 기다림).
// 주소는 이 파일(_static/late-loader.js)을 기준으로 한 _static 안의 경로입니다. require.js 가 있는 페이지(bertviz)
// 에서는 plotly 의 익명 define() 이 require.js 와 부딪치지 않도록 require()로 싣습니다. 모듈 스크립트·fetch 를
// 쓰지 않으므로 http 와 file:// 에서 똑같이 동작합니다.
(function () {
  var me = document.currentScript;
  var base = me.src.replace(/late-loader\.js(\?.*)?$/, "");
  var plotlyPath = me.getAttribute("data-plotly"), mathjaxPath = me.getAttribute("data-mathjax");
  var queue = [], plotlyReady = false, waiting = 0;

  // 실은 것이 모두 끝나면(plotly 그림을 그림, MathJax 가 조판함, 또는 실패) <html data-book-late="done"> — 테스트가 기다림
  function oneDone() {
    if (--waiting === 0) document.documentElement.setAttribute("data-book-late", "done");
  }

  window.bookPlotly = function (draw) {
    if (plotlyReady) draw(); else queue.push(draw);
  };

  function drawQueued() {
    plotlyReady = true;
    queue.splice(0).forEach(function (draw) {
      try { draw(); } catch (err) { console.error("plotly 그림을 그리지 못함:", err); }
    });
    if (window.bookPlotlyFitStart) window.bookPlotlyFitStart();
    oneDone();
  }

  function addScript(url, onload) {
    var s = document.createElement("script");
    s.src = url;
    s.onload = onload || null;
    s.onerror = function () { console.error("스크립트를 싣지 못함: " + url); oneDone(); };
    document.head.appendChild(s);
  }

  function loadAll() {
    waiting = (mathjaxPath ? 1 : 0) + (plotlyPath ? 1 : 0);
    if (mathjaxPath) {
      addScript(base + mathjaxPath, function () {
        var startup = window.MathJax && window.MathJax.startup;
        (startup && startup.promise ? startup.promise : Promise.resolve()).catch(function () {}).then(oneDone);
      });
    }
    if (!plotlyPath) return;
    var url = base + plotlyPath;
    if (typeof window.define === "function" && window.define.amd && window.require) {
      window.require([url], function (plotly) { window.Plotly = window.Plotly || plotly; drawQueued(); },
                     function (err) { console.error("plotly.js 를 싣지 못함: " + url, err); oneDone(); });
    } else {
      addScript(url, drawQueued);
    }
  }

  // 브라우저 안의 그림(.tl-live)이 모두 그려졌거나("yes") 실패했을("failed") 때
  function liveSettled() {
    var roots = document.querySelectorAll(".tl-live[data-live]");
    for (var i = 0; i < roots.length; i++) {
      var state = roots[i].getAttribute("data-ready");
      if (state !== "yes" && state !== "failed") return false;
    }
    return true;
  }

  function start() {
    if (liveSettled()) return loadAll();
    var done = false, obs;
    var finish = function () { if (!done) { done = true; obs.disconnect(); loadAll(); } };
    obs = new MutationObserver(function () { if (liveSettled()) finish(); });
    obs.observe(document.body, { subtree: true, attributes: true, attributeFilter: ["data-ready"] });
    setTimeout(finish, 3000);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
