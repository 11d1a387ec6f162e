// Backward of y = softmax(x) over the last axis: dx += y ∘ (dy − Σ_d dy ∘ y), per row.
//   y (saved forward output), dy, dx: [N, D] f32.
// Same layout as softmax_forward.wgsl: LANES invocations per row, WG / LANES rows per
// workgroup, a tree in workgroup memory for the row's dot product Σ dy ∘ y.

struct Params { rows: u32, d: u32, _pad0: u32, _pad1: u32 }

@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@group(0) @binding(1) var<storage, read_write> dy: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;
@group(0) @binding(3) var<uniform> p: Params;

override WG: u32 = 256u;
override LANES: u32 = 256u;

var<workgroup> lane_dot: array<f32, 256>;

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lin: u32,
) {
  let slot = lin / LANES;
  let l = lin % LANES;
  let row = (wid.x + wid.y * nwg.x) * (WG / LANES) + slot;
  let valid = row < p.rows;
  let base = row * p.d;

  var dot = 0.0;
  if (valid) {
    for (var i = l; i < p.d; i = i + LANES) {
      dot = dot + dy[base + i] * y[base + i];
    }
  }
  lane_dot[lin] = dot;
  workgroupBarrier();
  for (var st = LANES / 2u; st > 0u; st = st / 2u) {
    if (l < st) {
      lane_dot[lin] = lane_dot[lin] + lane_dot[lin + st];
    }
    workgroupBarrier();
  }
  let total = lane_dot[slot * LANES];
  if (valid) {
    for (var i = l; i < p.d; i = i + LANES) {
      let at = base + i;
      dx[at] = dx[at] + y[at] * (dy[at] - total);
    }
  }
}
