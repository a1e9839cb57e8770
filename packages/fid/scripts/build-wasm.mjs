#!/usr/bin/env node
// Writes src/wasm/kernels.wat (readable) and src/wasm/kernels.ts (the compiled module, base64)
// for @gan/fid's float64 SIMD kernels. Run after editing the templates below:
//   node packages/fid/scripts/build-wasm.mjs          (needs the devDependency `wabt`)
//   node packages/fid/scripts/build-wasm.mjs --check  (exit 1 if the committed files are stale)
import { readFileSync, writeFileSync } from 'node:fs';
import wabtInit from 'wabt';

const here = new URL('../src/wasm/', import.meta.url);
const range = (n) => Array.from({ length: n }, (_, i) => i);
const lines = (xs) => xs.join('\n');
const sumLanes = (v) => `(f64.add (f64x2.extract_lane 0 ${v}) (f64x2.extract_lane 1 ${v}))`;

/** Element offsets (parameters) → byte offsets. */
const toBytes = (params) =>
  lines(params.map((p) => `    (local.set ${p} (i32.shl (local.get ${p}) (i32.const 3)))`));

/** Runs `body` for k = 0, 16, … < 8·count: the element pairs (j, j+1) the f64x2 ops take. */
const pairLoop = (body) => `    (local.set $end (i32.shl (local.get $count) (i32.const 3)))
    (block $done
      (loop $loop
        (br_if $done (i32.ge_u (local.get $k) (local.get $end)))
${lines(body.map((l) => `        ${l}`))}
        (local.set $k (i32.add (local.get $k) (i32.const 16)))
        (br $loop)))`;

/**
 * out[rx × ry] = Σ_k f(x_r[k], y_c[k]) over `count` (even) elements, two k per instruction:
 * `step(r, c)` are the instructions adding f for the pair in $a (x_r) and $b<c> (y_c) to $s<r><c>;
 * `locals` are the extra v128 locals they use.
 */
function pairwise(name, formula, rx, ry, step, locals = []) {
  const xs = range(rx).map((r) => `$x${r}`);
  const ys = range(ry).map((c) => `$y${c}`);
  const acc = range(rx).flatMap((r) => range(ry).map((c) => `$s${r}${c}`));
  const at = (base) => `(i32.add (local.get ${base}) (local.get $k))`;
  const body = [
    ...ys.map((y, c) => `(local.set $b${c} (v128.load ${at(y)}))`),
    ...xs.flatMap((x, r) => [
      `(local.set $a (v128.load ${at(x)}))`,
      ...range(ry).flatMap((c) => step(r, c)),
    ]),
  ];
  return `  ;; out[${rx}×${ry}] = ${formula} over \`count\` (even) elements; offsets in float64 elements.
  (func (export "${name}${rx}x${ry}") ${[...xs, ...ys].map((p) => `(param ${p} i32)`).join(' ')} (param $count i32) (param $out i32)
    (local $k i32) (local $end i32) (local $a v128) ${[...locals, ...range(ry).map((c) => `$b${c}`)]
      .map((l) => `(local ${l} v128)`)
      .join(' ')}
    ${acc.map((s) => `(local ${s} v128)`).join(' ')}
${toBytes([...xs, ...ys, '$out'])}
${pairLoop(body)}
${lines(acc.map((s, i) => `    (f64.store offset=${8 * i} (local.get $out) ${sumLanes(`(local.get ${s})`)})`))})
`;
}

/** out[rx × ry] = Σ_k x_r[k] · y_c[k]. */
const dot = (rx, ry) =>
  pairwise('dot', 'Σ_k x_r[k] y_c[k]', rx, ry, (r, c) => [
    `(local.set $s${r}${c} (f64x2.add (local.get $s${r}${c}) (f64x2.mul (local.get $a) (local.get $b${c}))))`,
  ]);

/** out[rx × ry] = Σ_k (x_r[k] − y_c[k])²: exact squared distances. */
const sqdist = (rx, ry) =>
  pairwise(
    'sqdist',
    'Σ_k (x_r[k] - y_c[k])²',
    rx,
    ry,
    (r, c) => [
      `(local.set $t (f64x2.sub (local.get $a) (local.get $b${c})))`,
      `(local.set $s${r}${c} (f64x2.add (local.get $s${r}${c}) (f64x2.mul (local.get $t) (local.get $t))))`,
    ],
    ['$t'],
  );

/**
 * The fused tridiagonalisation sweep over `rows` rows r for `count` (even) columns j:
 *   a_rj −= V_r w_j + W_r v_j;  s_r += a_rj u_j;  p_j += Σ_r a_rj U_r,
 * with V, W, U read from c[0 … 3·rows) and the row sums s written to out.
 */
function sweep(rows) {
  const rs = range(rows).map((r) => `$r${r}`);
  const at = (base) => `(i32.add (local.get ${base}) (local.get $k))`;
  const body = [
    '(local.set $vj (v128.load (i32.add (local.get $v) (local.get $k))))',
    '(local.set $wj (v128.load (i32.add (local.get $w) (local.get $k))))',
    '(local.set $uj (v128.load (i32.add (local.get $u) (local.get $k))))',
    ...rs.flatMap((row, r) => [
      `(local.set $a (f64x2.sub (f64x2.sub (v128.load ${at(row)}) (f64x2.mul (local.get $V${r}) (local.get $wj))) (f64x2.mul (local.get $W${r}) (local.get $vj))))`,
      `(v128.store ${at(row)} (local.get $a))`,
      `(local.set $s${r} (f64x2.add (local.get $s${r}) (f64x2.mul (local.get $a) (local.get $uj))))`,
      r === 0
        ? '(local.set $q (f64x2.mul (local.get $a) (local.get $U0)))'
        : `(local.set $q (f64x2.add (local.get $q) (f64x2.mul (local.get $a) (local.get $U${r}))))`,
    ]),
    `(v128.store ${at('$p')} (f64x2.add (v128.load ${at('$p')}) (local.get $q)))`,
  ];
  const coefficients = range(rows).flatMap((r) =>
    ['V', 'W', 'U'].map(
      (name, g) =>
        `(local.set $${name}${r} (v128.load64_splat offset=${8 * (g * rows + r)} (local.get $c)))`,
    ),
  );
  return `  ;; The fused tridiagonalisation sweep over ${rows} rows for \`count\` (even) columns j:
  ;;   a_rj -= V_r w_j + W_r v_j;  s_r += a_rj u_j;  p_j += sum_r a_rj U_r
  ;; with V, W, U read from c[0 .. ${3 * rows}) and the sums s_r written to out. Offsets in float64 elements.
  (func (export "sweep${rows}") ${rs.map((p) => `(param ${p} i32)`).join(' ')} (param $v i32) (param $w i32) (param $u i32) (param $p i32) (param $count i32) (param $c i32) (param $out i32)
    (local $k i32) (local $end i32) (local $a v128) (local $q v128) (local $vj v128) (local $wj v128) (local $uj v128)
    ${['V', 'W', 'U', 's'].flatMap((n) => range(rows).map((r) => `(local $${n}${r} v128)`)).join(' ')}
${toBytes([...rs, '$v', '$w', '$u', '$p', '$c', '$out'])}
${lines(coefficients.map((l) => `    ${l}`))}
${pairLoop(body)}
${lines(range(rows).map((r) => `    (f64.store offset=${8 * r} (local.get $out) ${sumLanes(`(local.get $s${r})`)})`))})
`;
}

const wat = `;; SIMD (f64x2) kernels for @gan/fid's float64 linear algebra (src/linalg.ts) and distances (src/precision-recall.ts).
;; GENERATED by packages/fid/scripts/build-wasm.mjs: edit the templates there, not this file.
;; The memory is the whole heap: JavaScript lays the matrices out in it and passes element offsets.
(module
  (memory (export "memory") 1)
${dot(4, 2)}
${dot(4, 1)}
${sqdist(4, 2)}
${sweep(4)})
`;

const wabt = await wabtInit();
const module = wabt.parseWat('kernels.wat', wat, { simd: true });
module.validate();
const { buffer } = module.toBinary({ write_debug_names: false });
module.destroy();
const ts = `// GENERATED by packages/fid/scripts/build-wasm.mjs from kernels.wat — do not edit.
/** The compiled SIMD kernels (${buffer.length} bytes of WebAssembly), base64. */
export const KERNELS_WASM_BASE64 =
  '${Buffer.from(buffer).toString('base64')}';
`;

if (process.argv.includes('--check')) {
  const stale = [
    ['kernels.wat', wat],
    ['kernels.ts', ts],
  ].filter(([name, text]) => readFileSync(new URL(name, here), 'utf8') !== text);
  if (stale.length) {
    console.error(
      `stale: ${stale.map(([n]) => n).join(', ')} — run node packages/fid/scripts/build-wasm.mjs`,
    );
    process.exit(1);
  }
  console.log('kernels.wat and kernels.ts are up to date');
} else {
  writeFileSync(new URL('kernels.wat', here), wat);
  writeFileSync(new URL('kernels.ts', here), ts);
  console.log(`wrote kernels.wat and kernels.ts (${buffer.length} bytes of WebAssembly)`);
}
