// 검색 결과 아래의 요약(snippet)에 코드 셀, 출력, LaTeX 원문이 보이지 않게 합니다.
// Sphinx 의 searchtools.js 는 찾은 페이지의 HTML 을 받아 Search.htmlToText 로 글자만 뽑습니다: 그 전에 코드와 수식을 뺍니다.
// (이 스크립트는 search.html 에서만, searchtools.js 가 Search.init 을 부르기 전에 실행됩니다.)
document.addEventListener("DOMContentLoaded", function () {
  if (typeof Search === "undefined" || !Search.htmlToText) return;
  var original = Search.htmlToText;
  Search.htmlToText = function (htmlString, anchor) {
    var doc = new DOMParser().parseFromString(htmlString, "text/html");
    doc.querySelectorAll(".cell_input, .cell_output, div.highlight, pre, .math, mjx-container, .colab-badge")
      .forEach(function (el) { el.remove(); });
    return original(doc.documentElement.outerHTML, anchor);
  };
});
