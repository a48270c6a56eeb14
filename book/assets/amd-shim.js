// require.js 바로 뒤에 실리는 작은 연결 코드 (book/_ext/book_offline.py 가 bertviz·위젯이 있는 페이지에만 붙임).
(function () {
  var me = document.currentScript;
  var base = me ? me.src.replace(/amd-shim\.js(\?.*)?$/, "") : null;   // .../_static/
  if (typeof window.define === "function" && window.define.amd) {
    // d3·jQuery 는 require.js 보다 먼저 일반 스크립트로 실렸습니다. bertviz 의 require(['jquery', 'd3'])가
    // CDN 대신 이것을 쓰도록 같은 이름의 AMD 모듈로 알려 줍니다.
    if (window.d3) window.define("d3", [], function () { return window.d3; });
    if (window.jQuery) window.define("jquery", [], function () { return window.jQuery; });
    // ipywidgets html-manager 는 자기 모듈 주소를 기준으로 글꼴 파일을 찾습니다: 그 주소를 로컬 복사본으로.
    if (base && window.require && window.require.config) {
      window.require.config({ paths: { "@jupyter-widgets/html-manager/dist": base + "vendor/html-manager" } });
    }
  }
  // ipywidgets 8 은 라벨의 수식을 MathJax 2 의 MathJax.Hub.Queue 로 조판합니다. 책은 MathJax 3 을 쓰므로
  // 같은 이름의 작은 어댑터를 둡니다 (MathJax 3 이 window.MathJax 를 새 객체로 바꾼 뒤에 설치).
  function installHub() {
    var mj = window.MathJax;
    if (!mj || mj.Hub) return;
    mj.Hub = {
      Queue: function (cmd) {
        var el = cmd && cmd[2];
        var ready = mj.startup && mj.startup.promise ? mj.startup.promise : Promise.resolve();
        ready.then(function () {
          if (mj.typesetPromise) return mj.typesetPromise(el ? [el] : undefined);
        }).catch(function () {});
      },
    };
  }
  document.addEventListener("DOMContentLoaded", installHub);
  window.addEventListener("load", installHub);
})();
