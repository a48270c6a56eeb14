// 브라우저 탐색기의 모델 코드를 Node 에서: 가중치 풀기와 문장 하나(번역 + 모든 지도)의 벽시계·CPU 시간.
// CPU 시간은 다른 프로그램이 CPU 를 나눠 쓸 때도 거의 그대로라서 바쁜 컴퓨터에서 비교하기 좋습니다.
//   node benchmarks/bench_live_node.js [_build/live]       (benchmarks/bench_browser.py 가 함께 부름)
const fs = require("fs"), path = require("path");
const TL = require(path.join(__dirname, "..", "book", "assets", "live", "transformer_live.js"));
const live = process.argv[2] || path.join(__dirname, "..", "_build", "live");
const sb = {}; new Function("globalThis", fs.readFileSync(path.join(live, "site", "live", "ko_en_weights.js"), "utf8"))(sb);
const g = JSON.parse(fs.readFileSync(path.join(live, "golden", "golden.json"), "utf8"));
(async()=>{
  let c0=process.cpuUsage(), t0=performance.now();
  const m=await TL.load(sb.TRANSFORMER_LIVE_WEIGHTS);
  const lc=process.cpuUsage(c0), lt=performance.now()-t0;
  const texts=g.sentences.filter(s=>s.level!=="error").map(s=>s.text);
  for (const t of texts.slice(0,20)) m.translate(t);
  const cpu=[], wall=[];
  for (let r=0;r<3;r++) for (const t of texts) { const c=process.cpuUsage(), w=performance.now(); m.translate(t); cpu.push(process.cpuUsage(c).user/1000); wall.push(performance.now()-w); }
  const med=a=>a.sort((x,y)=>x-y)[a.length>>1];
  console.log(`load: wall ${lt.toFixed(0)} ms, cpu ${(lc.user/1000).toFixed(0)} ms; translate+maps per sentence: median wall ${med(wall).toFixed(1)} ms, cpu ${med(cpu).toFixed(1)} ms (${texts.length} sentences x3)`);
})();
