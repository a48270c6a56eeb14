// plotly 는 그림을 그릴 때 글자 폭을 재서 여백을 정하고, 잰 값을 (글자 + 스타일 문자열) 별로 캐시합니다.
// 읽는 사람의 컴퓨터에 한글 글꼴이 없어 웹 글꼴(BookKorean)이 나중에 도착하면 축 제목이 눈금 글자와 겹칠 수
// 있으므로, 글꼴이 준비되면 글꼴 목록 문자열을 살짝 바꿔(같은 글꼴, 다른 캐시 키) 다시 재고 그리게 합니다.
(function () {
  if (!document.fonts || !document.fonts.load) return;
  function remeasure() {
    if (!window.Plotly) return;
    document.querySelectorAll(".js-plotly-plot").forEach(function (gd) {
      var font = gd._fullLayout && gd._fullLayout.font;
      if (!font || !font.family) return;
      window.Plotly.relayout(gd, { "font.family": font.family + ", sans-serif" });
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.fonts.load('12px "BookKorean"', "한글").then(function () {
      return document.fonts.ready;
    }).then(remeasure).catch(function () {});
  });
})();
