// The per-step uniform (bound as { kind: 'stepUniform' }, written once per step with
// CompiledGraph.writeStepUniform). Mirrors STEP_UNIFORM_FIELDS in
// src/engine/ops/adamw/stepUniform.ts member for member (a test compares the two).
// The bias corrections are computed on the CPU in f64, as PyTorch computes them in Python floats.
struct StepUniform {
  lr: f32,                    // scheduled learning rate of this step
  step: u32,                  // optimizer step t, 1-based
  step_size: f32,             // lr / (1 − β1^t)
  bias_correction2_sqrt: f32, // √(1 − β2^t)
  decay: f32,                 // 1 − lr · weight_decay (decoupled weight decay factor)
}
