/* transformer_live.js — 책에 실린 한국어→영어 번역기(transformer_lib)를 브라우저에서 그대로 돌리는 작은 모듈.
 *
 * 파이썬과 같은 계산을 같은 순서로 합니다 (transformer_lib/model.py, layers.py, multi_head.py, positional.py):
 *   토큰화: NFC 정규화 → 문장부호 지우기 → 공백으로 자르기 (transformer_lib/toy/explorer.py 의 clean)
 *   임베딩 × √d_model + 사인파 위치 인코딩 → 인코더 층 N개 → memory
 *   디코더: 마스크드 셀프 어텐션 → 크로스 어텐션 → FFN, 각 부분층 뒤 Add & Norm (post-norm; norm_first 도 지원)
 *   to_logits(Linear) → 탐욕적 디코딩, 최대 길이 = min(S × 2 + 8, max_len) (decoding.py 의 max_decode_len)
 * 디코딩은 앞 단계의 키·밸류를 저장해 두고(KV 캐시) 새 토큰 하나만 계산합니다. 룩어헤드 마스크 때문에
 * 이렇게 얻은 어텐션 지도는 번역 전체를 한 번에 넣어 계산한 지도(파이썬 탐색기)와 같습니다.
 *
 * 왜 onnxruntime-web 이 아니라 손으로 쓴 JS 인가: 이 모델은 78만 개 파라미터, 문장 하나에 몇백만 번의 곱셈이라
 * 평범한 JS 루프로 몇 밀리초면 됩니다. onnxruntime-web 은 14 MB 의 wasm 런타임, 2 초의 시작 시간, CDN 이 아닌
 * wasm 경로 설정이 필요하고 file:// 에서는 실리지 않습니다. 게다가 이 파일은 읽을 수 있는 교재이기도 합니다:
 * 헤드 하나의 Q, K, V, 점수, 마스크, 소프트맥스를 그대로 꺼내 보여 줄 수 있습니다.
 *
 * 왜 ES 모듈(<script type=module>)이 아니라 UMD 인가: 책을 디스크에서(file://) 열면 Chromium 은 모듈 스크립트와
 * fetch() 를 막습니다. 그래서 일반 <script> 로 싣고(전역 TransformerLive), Node 에서는 require() 로 씁니다.
 * 가중치도 같은 이유로 JS 파일(ko_en_weights.js, 빌드가 만듦) 안의 base64 문자열입니다.
 *
 * 모양 표기: 벡터 하나 = Float32Array(d_model). 행렬 = 벡터들의 배열(행 = 토큰). 어텐션 지도 [층][헤드][쿼리][키].
 */
(function (root, factory) {
  if (typeof module === "object" && module.exports) module.exports = factory();
  else root.TransformerLive = factory();
})(typeof globalThis !== "undefined" ? globalThis : this, function () {
  "use strict";

  // ------------------------------------------------------------------------------------------------ 가중치 읽기
  function base64Bytes(b64) {
    const bin = atob(b64), out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  // zlib(deflate) 풀기: 브라우저와 Node 에 들어 있는 DecompressionStream. 입력을 한 번에 써 넣고 나온 조각을 모읍니다.
  // (Blob.stream() 으로 64 KB 씩 흘려 넣으면 조각마다 따로 된 작업(task)이 되어, 9장처럼 긴 페이지에서는 조각 사이마다
  //  브라우저가 페이지 읽기를 끼워 넣어 첫 지도가 200 ms 넘게 늦어졌습니다: benchmarks/bench_browser.py.)
  async function inflate(bytes) {
    const ds = new DecompressionStream("deflate"), writer = ds.writable.getWriter();
    writer.write(bytes).catch(() => {});   // 깨진 입력의 오류는 아래 reader.read() 가 던집니다
    writer.close().catch(() => {});
    const reader = ds.readable.getReader(), chunks = [];
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      total += value.length;
    }
    const out = new Uint8Array(total);
    let at = 0;
    for (const chunk of chunks) { out.set(chunk, at); at += chunk.length; }
    return out;
  }

  /** 빌드가 만든 매니페스트(globalThis.TRANSFORMER_LIVE_WEIGHTS) → Model. 바이트 면(상위 바이트 먼저)을 다시 엮고,
   *  "i16" 이면 행마다 정수 × 눈금(scale)으로 되돌립니다 (transformer_lib/toy/web_export.py 의 pack). */
  async function load(manifest) {
    const w = manifest.weights, width = w.dtype === "i16" ? 2 : 4;
    const planes = await inflate(base64Bytes(w.data));
    const raw = new Uint8Array(w.n * width); // 리틀 엔디언 원래 바이트
    for (let b = 0; b < width; b++) {
      const plane = planes.subarray((width - 1 - b) * w.n, (width - b) * w.n);
      for (let i = 0; i < w.n; i++) raw[i * width + b] = plane[i];
    }
    const params = {};
    let row = 0;
    for (const [name, shape, offset] of w.tensors) {
      const size = shape.reduce((a, b) => a * b, 1);
      if (width === 4) { params[name] = new Float32Array(raw.buffer, offset * 4, size); continue; }
      const ints = new Int16Array(raw.buffer, offset * 2, size), vals = new Float32Array(size);
      const cols = shape.length > 1 ? size / shape[0] : size;          // 1차원 텐서는 한 행
      for (let i = 0; i < size; i++) vals[i] = ints[i] * w.scales[row + Math.floor(i / cols)];
      row += size / cols;
      params[name] = vals;
    }
    await checkSha256(raw, w.sha256);
    return new Model(manifest, params, raw);
  }

  /** 풀어 낸 가중치 바이트가 빌드가 적은 sha256 과 같은지 (WebCrypto 가 있을 때; file:// 의 Chromium 에도 있음). */
  async function checkSha256(bytes, expected) {
    const subtle = globalThis.crypto && globalThis.crypto.subtle;
    if (!subtle || !expected) return;
    const hex = Array.from(new Uint8Array(await subtle.digest("SHA-256", bytes)), (b) => b.toString(16).padStart(2, "0")).join("");
    if (hex !== expected) throw new Error(`가중치의 sha256 이 다릅니다 (weights sha256 mismatch): ${hex.slice(0, 12)}… ≠ ${expected.slice(0, 12)}…`);
  }

  // ------------------------------------------------------------------------------------------------ 작은 선형대수
  function linear(x, W, b, nOut) { // y = x Wᵀ + b,  W: (nOut, nIn) 행 우선
    const nIn = x.length, y = new Float32Array(nOut);
    for (let o = 0; o < nOut; o++) {
      let s = b ? b[o] : 0;
      const row = o * nIn;
      for (let i = 0; i < nIn; i++) s += x[i] * W[row + i];
      y[o] = s;
    }
    return y;
  }
  function add(a, b) { const y = new Float32Array(a.length); for (let i = 0; i < a.length; i++) y[i] = a[i] + b[i]; return y; }
  function layerNorm(x, g, b, eps) { // nn.LayerNorm: 분산은 n 으로 나눔(편향 분산)
    let mean = 0, v = 0;
    for (let i = 0; i < x.length; i++) mean += x[i];
    mean /= x.length;
    for (let i = 0; i < x.length; i++) v += (x[i] - mean) ** 2;
    const inv = 1 / Math.sqrt(v / x.length + eps), y = new Float32Array(x.length);
    for (let i = 0; i < x.length; i++) y[i] = (x[i] - mean) * inv * g[i] + b[i];
    return y;
  }
  function softmax(scores) { // 가려진 칸(-Infinity)은 0 이 됩니다
    let m = -Infinity;
    for (const s of scores) if (s > m) m = s;
    if (m === -Infinity) return scores.map(() => 0); // 모두 가려진 행은 NaN 대신 0 (파이썬과 같음)
    const e = scores.map((s) => Math.exp(s - m)), z = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / z);
  }

  // ------------------------------------------------------------------------------------------------ 안내 문구
  const PUNCT = /[.,?!·…"'“”‘’()]/g;        // explorer.py 의 PUNCT 와 같음
  const HANGUL = /[가-힣]/;
  const SYMBOL = /[^가-힣A-Za-z0-9]/gu;       // 한글·영문·숫자가 아닌 글자 = 기호
  const chars = (s) => Array.from(s);        // 파이썬 len() 처럼 코드 포인트 단위

  function fill(template, values) { return template.replace(/\{(\w+)\}/g, (_, k) => String(values[k])); }

  function similarity(a, b) { // 1 − 편집 거리 / 긴 쪽 길이 (explorer.py 의 similarity 와 같음)
    a = chars(a); b = chars(b);
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const cur = [i];
      for (let j = 1; j <= b.length; j++) {
        cur.push(Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] !== b[j - 1] ? 1 : 0)));
      }
      prev = cur;
    }
    return 1 - prev[b.length] / Math.max(a.length, b.length, 1);
  }

  const unique = (xs) => [...new Set(xs)];

  // ------------------------------------------------------------------------------------------------ 모델
  class Model {
    constructor(manifest, params, rawBytes) {
      const c = (this.config = manifest.config);
      this.manifest = manifest;
      this.p = params;
      this.raw = rawBytes;                      // sha256 확인용(Node 테스트, 브라우저)
      this.M = manifest.messages;
      this.srcItos = manifest.src_itos;
      this.tgtItos = manifest.tgt_itos;
      this.srcStoi = new Map(this.srcItos.map((t, i) => [t, i]));
      this.ids = manifest.special_ids;
      this.known = this.srcItos.slice(4);       // 특수 토큰 4개를 뺀 한국어 토큰
      this.limits = manifest.limits;
      this.d = c.d_model; this.h = c.n_heads; this.dk = c.d_model / c.n_heads;
      this.nEnc = c.n_layers; this.nDec = c.n_layers;
      this.pe = [];                             // 사인파 위치 인코딩 (float64 로 계산 → float32, positional.py 와 같음)
      for (let pos = 0; pos < c.max_len; pos++) {
        const row = new Float32Array(this.d);
        for (let i = 0; i < this.d; i += 2) {
          const angle = pos / Math.pow(10000, i / this.d);
          row[i] = Math.sin(angle); row[i + 1] = Math.cos(angle);
        }
        this.pe.push(row);
      }
    }

    // --- 입력 검사: explorer.py 의 clean / check / suggest 를 그대로 옮김 -------------------------------
    clean(text) { return (text == null ? "" : String(text)).normalize("NFC").replace(PUNCT, " ").split(/\s+/).filter(Boolean).join(" "); }

    suggest(word, n = 3) {
      const w = chars(word), stem = w.length > 1 ? w.slice(0, -1).join("") : word;
      const same = this.known.filter((k) => k.startsWith(stem)).slice(0, n);
      const close = this.known.map((k, i) => [similarity(word, k), i, k]).filter((t) => t[0] >= 0.5)
        .sort((a, b) => b[0] - a[0] || a[1] - b[1]).slice(0, n).map((t) => t[2]);
      return unique(same.concat(close)).slice(0, n);
    }

    unknownMessage(unknown, fatal) {
      const M = this.M;
      const parts = unique(unknown).slice(0, 4).map((w) => {
        const s = this.suggest(w);
        return fill(M.unknown_word, { word: w }) + (s.length ? fill(M.suggestion, { words: s.join(", ") }) : "");
      });
      return fill(fatal ? M.unknown_fatal : M.unknown_warning, { words: parts.join(", "), n_known: this.known.length });
    }

    /** → {level: "ok" | "warning" | "error", message, cleaned, tokens} */
    check(text) {
      const M = this.M, L = this.limits, cleaned = this.clean(text), example = fill(M.example, { sentence: M.example_sentence });
      const out = (level, message) => ({ level, message, cleaned, tokens: cleaned ? cleaned.split(" ") : [] });
      if (!cleaned) return out("error", fill(M.empty, { example }));
      if (!HANGUL.test(cleaned)) return out("error", fill(M.no_hangul, { example }));
      const tokens = cleaned.split(" ");
      const note = L.max_train_tokens ? " " + fill(M.train_len_note, { max_train: L.max_train_tokens }) : "";
      const maxChars = L.chars_per_token * L.max_tokens, n = chars(cleaned).length;
      if (n > maxChars) return out("error", fill(M.too_many_chars, { n, max: maxChars }) + note);
      if (tokens.length > L.max_tokens) return out("error", fill(M.too_many_tokens, { n: tokens.length, max: L.max_tokens }) + note);
      const symbols = unique(tokens.flatMap((t) => t.match(SYMBOL) || []));
      if (symbols.length) return out("error", fill(M.symbols, { symbols: symbols.map((s) => `「${s}」`).join(", ") }));
      const unknown = tokens.filter((t) => !this.srcStoi.has(t));
      if (unknown.length && unknown.length * 2 > tokens.length) return out("error", this.unknownMessage(unknown, true));
      const msgs = [];
      if (unknown.length) msgs.push(this.unknownMessage(unknown, false));
      if (L.max_train_tokens && tokens.length > L.max_train_tokens) {
        msgs.push(fill(M.longer_than_train, { max_train: L.max_train_tokens, n: tokens.length }));
      }
      return out(msgs.length ? "warning" : "ok", msgs.join(" "));
    }

    // --- 층 -------------------------------------------------------------------------------------------------
    embed(table, id, pos) { // 임베딩 × √d_model + PE[pos]
      const e = this.p[table], d = this.d, s = Math.sqrt(d), y = new Float32Array(d);
      for (let i = 0; i < d; i++) y[i] = Math.fround(e[id * d + i] * s) + this.pe[pos][i];
      return y;
    }
    lin(x, name, nOut) { return linear(x, this.p[name + ".weight"], this.p[name + ".bias"], nOut || this.d); }
    norm(x, name) { return layerNorm(x, this.p[name + ".weight"], this.p[name + ".bias"], this.config.layer_norm_eps); }
    ffn(x, pre) { // Linear → ReLU → Linear
      const hdn = this.lin(x, pre + ".ffn.linear1", this.config.d_ff).map((v) => (v > 0 ? v : 0));
      return this.lin(hdn, pre + ".ffn.linear2");
    }

    /** 쿼리 하나(q: d_model)와 키·밸류 행들 → (출력 d_model, 헤드별 가중치 [h][T_k]). mask(j) = 참여 가능? */
    attendRow(q, K, V, mask) {
      const { h, dk } = this, out = new Float32Array(this.d), weights = [];
      for (let hd = 0; hd < h; hd++) {
        const o = hd * dk, scores = K.map((k, j) => {
          if (mask && !mask(j)) return -Infinity;
          let s = 0;
          for (let i = 0; i < dk; i++) s += q[o + i] * k[o + i];
          return s / Math.sqrt(dk);
        });
        const w = softmax(scores);
        weights.push(w);
        for (let j = 0; j < V.length; j++) if (w[j]) for (let i = 0; i < dk; i++) out[o + i] += w[j] * V[j][o + i];
      }
      return [out, weights];
    }

    /** 멀티헤드 어텐션 한 번: 쿼리 행들 × (K, V) → 출력 행들, 헤드별 지도 [h][T_q][T_k], 그리고 Q·K·V (꺼내 보기용) */
    mha(xq, xkv, pre, cache, maskFor) {
      const Q = xq.map((x) => this.lin(x, pre + ".W_q"));
      const K = cache.K || xkv.map((x) => this.lin(x, pre + ".W_k"));
      const V = cache.V || xkv.map((x) => this.lin(x, pre + ".W_v"));
      const maps = Array.from({ length: this.h }, () => []), outs = [];
      Q.forEach((q, i) => {
        const [o, w] = this.attendRow(q, K, V, maskFor ? maskFor(i) : null);
        outs.push(this.lin(o, pre + ".W_o"));
        w.forEach((row, hd) => maps[hd].push(row));
      });
      return { outs, maps, Q, K, V };
    }

    encode(ids) { // → memory 행들, 층별 지도, 층별 Q·K·V
      const pre = this.config.norm_first;
      let x = ids.map((id, pos) => this.embed("src_embed.embedding.weight", id, pos));
      const maps = [], trace = [];
      for (let l = 0; l < this.nEnc; l++) {
        const P = `encoder.layers.${l}`;
        const inp = pre ? x.map((v) => this.norm(v, P + ".norm1")) : x;
        const a = this.mha(inp, inp, P + ".self_attn", {});
        maps.push(a.maps); trace.push({ Q: a.Q, K: a.K, V: a.V });
        if (pre) {
          x = x.map((v, i) => add(v, a.outs[i]));
          x = x.map((v) => add(v, this.ffn(this.norm(v, P + ".norm2"), P)));
        } else {
          x = x.map((v, i) => this.norm(add(v, a.outs[i]), P + ".norm1"));
          x = x.map((v) => this.norm(add(v, this.ffn(v, P)), P + ".norm2"));
        }
      }
      if (pre) x = x.map((v) => this.norm(v, "encoder.norm"));
      return { memory: x, maps, trace };
    }

    /** 디코더 한 단계: 토큰 하나(위치 pos)만 계산. state 에 층별 셀프 어텐션 K·V 를 쌓아 둡니다(KV 캐시). */
    decodeStep(state, id, pos) {
      const pre = this.config.norm_first;
      let y = this.embed("tgt_embed.embedding.weight", id, pos);
      const selfRows = [], crossRows = [];
      for (let l = 0; l < this.nDec; l++) {
        const P = `decoder.layers.${l}`, S = state.self[l], C = state.cross[l];
        const h1 = pre ? this.norm(y, P + ".norm1") : y;
        S.K.push(this.lin(h1, P + ".self_attn.W_k")); S.V.push(this.lin(h1, P + ".self_attn.W_v"));
        const q = this.lin(h1, P + ".self_attn.W_q");
        S.Q.push(q);
        const [a, wSelf] = this.attendRow(q, S.K, S.V, null); // 캐시에는 자기와 앞 토큰만 있음 = 룩어헤드 마스크
        y = pre ? add(y, this.lin(a, P + ".self_attn.W_o")) : this.norm(add(y, this.lin(a, P + ".self_attn.W_o")), P + ".norm1");
        const h2 = pre ? this.norm(y, P + ".norm2") : y;
        const qc = this.lin(h2, P + ".cross_attn.W_q");
        C.Q.push(qc);
        const [c, wCross] = this.attendRow(qc, C.K, C.V, null);
        y = pre ? add(y, this.lin(c, P + ".cross_attn.W_o")) : this.norm(add(y, this.lin(c, P + ".cross_attn.W_o")), P + ".norm2");
        y = pre ? add(y, this.ffn(this.norm(y, P + ".norm3"), P)) : this.norm(add(y, this.ffn(y, P)), P + ".norm3");
        selfRows.push(wSelf); crossRows.push(wCross);
      }
      if (pre) y = this.norm(y, "decoder.norm");
      const genW = this.config.tie_embeddings ? this.p["tgt_embed.embedding.weight"] : this.p["to_logits.weight"];
      const logits = linear(y, genW, this.p["to_logits.bias"], this.tgtItos.length);
      return { logits, selfRows, crossRows };
    }

    /** 문장 → 번역과 모든 어텐션 지도 (파이썬 Explorer.analyze 와 같은 결과 구조). 예외를 내지 않습니다. */
    translate(text) {
      const chk = this.check(text);
      if (chk.level === "error") return { level: "error", message: chk.message, text: String(text == null ? "" : text), ok: false };
      try { return this._run(chk); } catch (e) {
        return { level: "error", ok: false, text: String(text), message: fill(this.M.unexpected, { error: `${e.name}: ${e.message}` }) };
      }
    }

    _run(chk) {
      const { bos, eos, unk } = this.ids, srcIds = chk.tokens.map((t) => (this.srcStoi.has(t) ? this.srcStoi.get(t) : unk));
      const enc = this.encode(srcIds), L = this.nDec, H = this.h;
      const state = { self: [], cross: [] };
      for (let l = 0; l < L; l++) {
        const P = `decoder.layers.${l}.cross_attn`;
        state.self.push({ Q: [], K: [], V: [] });   // 단계마다 한 행씩 늘어남
        state.cross.push({ Q: [], K: enc.memory.map((m) => this.lin(m, P + ".W_k")), V: enc.memory.map((m) => this.lin(m, P + ".W_v")) });
      }
      const maxLen = Math.min(srcIds.length * 2 + this.manifest.decode.max_decode_extra, this.config.max_len);
      const ys = [bos], steps = [];
      let done = false;
      for (let t = 0; t < maxLen - 1; t++) {                  // 탐욕적 디코딩
        const r = this.decodeStep(state, ys[t], t);
        const probs = softmax(Array.from(r.logits));
        let next = 0;
        for (let i = 1; i < probs.length; i++) if (probs[i] > probs[next]) next = i;
        const top5 = probs.map((p, i) => [p, i]).sort((a, b) => b[0] - a[0] || a[1] - b[1]).slice(0, 5)
          .map(([p, i]) => ({ id: i, token: this.tgtItos[i], p }));
        steps.push({ input: this.tgtItos[ys[t]], output: this.tgtItos[next], top5, self: r.selfRows, cross: r.crossRows });
        ys.push(next);
        if (next === eos) { done = true; break; }
      }
      if (!done) { // <eos> 없이 끝나면 마지막 토큰도 디코더 입력이므로 그 행을 계산해 둡니다 (파이썬과 같음)
        const r = this.decodeStep(state, ys[ys.length - 1], ys.length - 1);
        steps.push({ input: this.tgtItos[ys[ys.length - 1]], output: null, top5: [], self: r.selfRows, cross: r.crossRows });
      }
      const T = steps.length, pad = (row) => row.concat(new Array(T - row.length).fill(0)); // 가려진 뒤쪽 = 0
      const maps = {
        encoder: enc.maps,
        decoder: Array.from({ length: L }, (_, l) => Array.from({ length: H }, (_, hd) => steps.map((s) => pad(s.self[l][hd])))),
        cross: Array.from({ length: L }, (_, l) => Array.from({ length: H }, (_, hd) => steps.map((s) => s.cross[l][hd]))),
      };
      const decInputs = steps.map((s) => s.input);
      const outputs = ys.slice(1).map((i) => this.tgtItos[i]).slice(0, decInputs.length);
      let { level, message } = chk;
      if (!done) { message = (message + " " + fill(this.M.no_eos, { max_len: maxLen })).trim(); level = "warning"; }
      return {
        ok: true, level, message, text: chk.cleaned, srcTokens: srcIds.map((i) => this.srcItos[i]), decInputs, outputs,
        translation: outputs.filter((w) => w !== "<eos>").join(" "), maps, steps,
        trace: { encoder: enc.trace, decoder: state.self, cross: state.cross },
      };
    }

    /** 지도 하나: kind ∈ encoder | decoder | cross, head = 번호 또는 "mean" → {weights [T_q][T_k], rows, cols} */
    attention(result, kind, layer, head) {
      let w = result.maps[kind][layer];
      w = head === "mean" ? w[0].map((row, i) => row.map((_, j) => w.reduce((s, m) => s + m[i][j], 0) / w.length)) : w[head];
      return { weights: w, rows: kind === "encoder" ? result.srcTokens : result.outputs,
        cols: kind === "decoder" ? result.decInputs : result.srcTokens };
    }

    /** 헤드 하나의 중간값: Q, K, V (각 [T][d_k]), 점수 QKᵀ/√d_k, 마스크(true = 참여), 소프트맥스 */
    headDetail(result, kind, layer, head) {
      const tr = result.trace[kind][layer], o = head * this.dk, part = (rows) => rows.map((r) => Array.from(r.subarray(o, o + this.dk)));
      const Q = part(tr.Q), K = part(tr.K), V = part(tr.V);
      const scores = Q.map((q) => K.map((k) => q.reduce((s, v, i) => s + v * k[i], 0) / Math.sqrt(this.dk)));
      const mask = Q.map((_, i) => K.map((_, j) => kind !== "decoder" || j <= i));
      return { q: Q, k: K, v: V, scores, mask, weights: result.maps[kind][layer][head] };
    }
  }

  return { load, Model, similarity, fill, linear, layerNorm, softmax };
});
