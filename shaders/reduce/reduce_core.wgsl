// Shared body of reduce_forward.wgsl (Σ src) and reduce_product.wgsl (Σ src · other): the
// strided reduction described in reduce_forward.wgsl. Not a complete shader on its own.

struct Params {
  k_total: u32,
  r_total: u32,
  r_chunk: u32,
  n_kept: u32,
  n_red: u32,
  scale: f32,
  accumulate: u32,
  _pad: u32,
  kept_size: array<vec4<u32>, 2>,
  kept_src: array<vec4<u32>, 2>,
  kept_other: array<vec4<u32>, 2>,
  red_size: array<vec4<u32>, 2>,
  red_src: array<vec4<u32>, 2>,
  red_other: array<vec4<u32>, 2>,
}

@group(0) @binding(0) var<storage, read_write> src: array<f32>;
@group(0) @binding(1) var<storage, read_write> dst: array<f32>;
@group(0) @binding(2) var<uniform> p: Params;

override WG: u32 = 256u;
override COLS: u32 = 32u; // outputs per workgroup
override ROWS: u32 = 8u; // lanes per output, a power of two; COLS · ROWS = WG
override LANES_INNER: bool = false;

var<workgroup> lanes: array<f32, 256>;

// The including file defines load_term(src offset, other offset) -> f32 and the entry point.
fn reduce_main(wid: vec3<u32>, nwg: vec3<u32>, lin: u32) {
  var c: u32;
  var l: u32;
  if (LANES_INNER) {
    c = lin / ROWS;
    l = lin % ROWS;
  } else {
    c = lin % COLS;
    l = lin / COLS;
  }
  let j = (wid.x + wid.y * nwg.x) * COLS + c;
  let chunk = wid.z;
  let r_begin = chunk * p.r_chunk;
  let r_end = min(p.r_total, r_begin + p.r_chunk);

  var acc = 0.0;
  if (j < p.k_total) {
    var rem = j;
    var s_base = 0u;
    var o_base = 0u;
    for (var d = p.n_kept; d > 0u; d = d - 1u) {
      let a = (d - 1u) >> 2u;
      let b = (d - 1u) & 3u;
      let size = p.kept_size[a][b];
      let coord = rem % size;
      rem = rem / size;
      s_base = s_base + coord * p.kept_src[a][b];
      o_base = o_base + coord * p.kept_other[a][b];
    }
    for (var r = r_begin + l; r < r_end; r = r + ROWS) {
      var rem_r = r;
      var s_off = s_base;
      var o_off = o_base;
      for (var d = p.n_red; d > 0u; d = d - 1u) {
        let a = (d - 1u) >> 2u;
        let b = (d - 1u) & 3u;
        let size = p.red_size[a][b];
        let coord = rem_r % size;
        rem_r = rem_r / size;
        s_off = s_off + coord * p.red_src[a][b];
        o_off = o_off + coord * p.red_other[a][b];
      }
      acc = acc + load_term(s_off, o_off);
    }
  }

  var total = acc;
  if (ROWS > 1u) {
    let stride = select(COLS, 1u, LANES_INNER); // distance between lanes of one output
    let slot = select(l * COLS + c, c * ROWS + l, LANES_INNER);
    lanes[slot] = acc;
    workgroupBarrier();
    for (var s = ROWS / 2u; s > 0u; s = s / 2u) {
      if (l < s) {
        lanes[slot] = lanes[slot] + lanes[slot + s * stride];
      }
      workgroupBarrier();
    }
    total = lanes[slot];
  }
  if (l == 0u && j < p.k_total) {
    let at = chunk * p.k_total + j;
    let value = p.scale * total;
    if (p.accumulate != 0u) {
      dst[at] = dst[at] + value;
    } else {
      dst[at] = value;
    }
  }
}
