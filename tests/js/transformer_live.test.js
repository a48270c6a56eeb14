// 브라우저 탐색기의 모델 코드(book/assets/live/transformer_live.js)가 PyTorch 와 같은 답을 내는지: node --test tests/js
// 정답 파일은 빌드가 체크포인트에서 만듭니다: `make live` (= python -m transformer_lib.toy.web_export --out _build/live).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const crypto = require("node:crypto");
const TL = require("../../book/assets/live/transformer_live.js");

const ROOT = path.resolve(__dirname, "../..");
const LIVE = process.env.LIVE_DIR || path.join(ROOT, "_build", "live");
const SITE_WEIGHTS = path.join(LIVE, "site", "live", "ko_en_weights.js");
const F32_WEIGHTS = path.join(LIVE, "golden", "ko_en_weights_f32.js");
const GOLDEN = path.join(LIVE, "golden", "golden.json");
for (const f of [SITE_WEIGHTS, F32_WEIGHTS, GOLDEN]) {
  if (!fs.existsSync(f)) throw new Error(`${f} 가 없습니다. 먼저 \`make live\` 를 실행하세요 (golden files missing)`);
}

function manifestFrom(file) { // 빌드가 만든 일반 스크립트를 실행해 전역 변수를 읽습니다 (브라우저와 같은 방식)
  const sandbox = {};
  new Function("globalThis", fs.readFileSync(file, "utf8"))(sandbox);
  return sandbox.TRANSFORMER_LIVE_WEIGHTS;
}
const golden = JSON.parse(fs.readFileSync(GOLDEN, "utf8"));

function maxDiff(a, b, where) {
  assert.equal(Array.isArray(a), Array.isArray(b), where);
  if (!Array.isArray(a)) return Math.abs(a - b);
  assert.equal(a.length, b.length, `${where}: 길이`);
  return a.reduce((m, x, i) => Math.max(m, maxDiff(x, b[i], where)), 0);
}

async function parity(file, tol, label) {
  const man = manifestFrom(file);
  const model = await TL.load(man);
  assert.equal(crypto.createHash("sha256").update(model.raw).digest("hex"), man.weights.sha256, "가중치 sha256");
  let worst = 0, n = 0;
  for (const g of golden.sentences) {
    const r = model.translate(g.text);
    assert.equal(r.level, g.level, g.text);
    assert.equal(r.message, g.message, g.text);
    if (g.level === "error") continue;
    n++;
    assert.equal(r.translation, g.translation, `번역: ${g.text}`);
    assert.equal(r.translation, g.greedy_translation, `tl.greedy_decode 와 같은 번역: ${g.text}`);
    assert.deepEqual(r.srcTokens, g.src_tokens);
    assert.deepEqual(r.decInputs, g.dec_inputs);
    assert.deepEqual(r.outputs, g.outputs);
    for (const kind of ["encoder", "decoder", "cross"]) {
      const d = maxDiff(r.maps[kind], g.maps[kind], `${g.text} ${kind}`);
      worst = Math.max(worst, d);
      assert.ok(d <= tol, `${label} ${kind} 지도 차이 ${d} > ${tol}: ${g.text}`);
    }
    r.steps.slice(0, g.top5_ids.length).forEach((s, t) => {
      assert.equal(s.top5[0].id, g.top5_ids[t][0], `${g.text} 단계 ${t} 1등`);
      s.top5.forEach((c, k) => assert.ok(Math.abs(c.p - g.top5_probs[t][k]) <= tol * 5, `${g.text} 단계 ${t} 확률`));
    });
  }
  return { worst, n };
}

test("문장 200개 이상: 사이트에 싣는 16비트 가중치로 같은 번역, 지도 차이 ≤ 2e-3 (float16 과 같은 예산)", async () => {
  const { worst, n } = await parity(SITE_WEIGHTS, 2e-3, "i16");
  assert.ok(n >= 200, `번역한 문장 ${n}개`);
  console.log(`i16: ${n}문장, 지도 최대 차이 ${worst.toExponential(2)}`);
});

test("f32 가중치로는 지도 차이 ≤ 1e-4", async () => {
  const { worst, n } = await parity(F32_WEIGHTS, 1e-4, "f32");
  console.log(`f32: ${n}문장, 지도 최대 차이 ${worst.toExponential(2)}`);
});

test("헤드 하나의 Q, K, V, 점수, 마스크, 소프트맥스가 PyTorch 와 같음", async () => {
  const model = await TL.load(manifestFrom(F32_WEIGHTS));
  for (const g of golden.details) {
    const d = model.headDetail(model.translate(g.text), g.kind, g.layer, g.head);
    for (const key of ["q", "k", "v", "scores", "weights"]) {
      const diff = maxDiff(d[key], g[key], `${g.kind} ${key}`);
      assert.ok(diff <= 1e-4, `${g.kind} 층 ${g.layer} 헤드 ${g.head} ${key}: 차이 ${diff}`);
    }
    assert.deepEqual(d.mask, g.mask);
  }
});

test("잘못된 입력: 파이썬 탐색기와 같은 안내 문구 (문구 표 하나)", async () => {
  const model = await TL.load(manifestFrom(SITE_WEIGHTS));
  for (const g of golden.checks) {
    const r = model.translate(g.text);
    assert.equal(r.level, g.level, g.text);
    assert.equal(r.message, g.message, g.text);
    if (g.level !== "error") assert.equal(r.translation, g.translation, g.text);
  }
  const long = model.translate("가".repeat(1000)).message;
  assert.match(long, /1000자/);
  assert.doesNotMatch(long, /토큰 1개/);
  const emoji = model.translate("소년은 🍎를 먹는다");
  assert.equal(emoji.level, "error");
  assert.match(emoji.message, /🍎/);
});

test("가중치가 바뀌면 sha256 확인에서 멈춤 (브라우저와 같은 WebCrypto 경로)", async () => {
  const man = manifestFrom(SITE_WEIGHTS);
  await assert.rejects(TL.load({ ...man, weights: { ...man.weights, sha256: "0".repeat(64) } }), /sha256/);
});

test("KV 캐시: 캐시로 한 단계씩 계산한 지도 = 번역 전체를 한 번에 넣은 지도 (정답 파일이 후자)", async () => {
  // 위의 parity 가 이미 확인합니다. 여기서는 캐시가 실제로 쓰이는지(단계마다 K 가 한 행씩 늘어나는지)를 봅니다.
  const model = await TL.load(manifestFrom(SITE_WEIGHTS));
  const r = model.translate("소년은 공원에서 빨간 사과를 먹는다");
  assert.equal(r.trace.decoder[0].K.length, r.decInputs.length);
  assert.equal(r.trace.cross[0].K.length, r.srcTokens.length);
});
