// Shared by the flash-attention kernels (included; not a kernel by itself). The including file
// declares `qkv`, `table` and `params`.
//   qkv:   [B, T, 3, H, HD] f32: the qkv projection, all q heads, then all k, then all v
//   table: [2, T, HD/2] f32: cos(θ[t, j]) then sin(θ[t, j]) of GPT-NeoX rotary (rotary.ts)
// HD, HG and KB are substituted per launch by the launcher (function-scope and workgroup arrays
// need constant sizes; override-sized arrays have had browser bugs). The values written here only
// make the file compile as it stands.
// Work split of the tiled kernels: a workgroup owns HG consecutive heads of one sequence and RB = WG / HG consecutive
// rows (query rows, or key rows in the dk/dv pass); invocation l takes head l % HG, row l / HG,
// so neighbouring invocations read neighbouring heads of one token (contiguous memory).

const HD: u32 = 8u;  // head dim
const HG: u32 = 1u;  // heads per workgroup
const KB: u32 = 16u; // rows per workgroup-memory tile
const HALF: u32 = HD / 2u;

struct Params {
  time: u32,    // T
  heads: u32,   // H
  window: u32,  // keys i − window … i are visible (window ≥ T: plain causal)
  scale: f32,   // 1/√HD
  blocks: u32,  // workgroups that have work: B · (H / HG) · row_blocks
  row_blocks: u32, // ⌈T / RB⌉
  rows: u32,    // B · T · H (the barrier-free 'rows' kernels: one invocation per row)
}

struct Block {
  ok: bool,
  seq: u32, // b · T
  h0: u32,  // first head
  r0: u32,  // first row
}

// The workgroup's (sequence, head group, row block). Uniform across the workgroup.
fn block_of(wid: vec3<u32>, nwg: vec3<u32>, rows_per_block: u32) -> Block {
  let w = wid.x + wid.y * nwg.x;
  let groups = params.heads / HG;
  let rb = w % params.row_blocks;
  let rest = w / params.row_blocks;
  return Block(w < params.blocks, (rest / groups) * params.time, (rest % groups) * HG, rb * rows_per_block);
}

// The HD-vector of qkv starting at `base`, rotated by the rotary angles of position t.
fn rotated_row(base: u32, t: u32) -> array<f32, HD> {
  var r: array<f32, HD>;
  let cos_at = t * HALF;
  let sin_at = (params.time + t) * HALF;
  for (var j = 0u; j < HALF; j++) {
    let c = table[cos_at + j];
    let s = table[sin_at + j];
    let a = qkv[base + j];
    let b = qkv[base + j + HALF];
    r[j] = a * c - b * s;
    r[j + HALF] = b * c + a * s;
  }
  return r;
}

// First visible key of query i.
fn first_key(i: u32) -> u32 {
  return select(0u, i - params.window, i > params.window);
}
