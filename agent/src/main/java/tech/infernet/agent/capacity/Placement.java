package tech.infernet.agent.capacity;

/** Where a model goes: one GPU, tensor parallel over GPUs of this node, a pipeline over nodes, or nowhere. */
public enum Placement {
  SINGLE_GPU,
  TENSOR_PARALLEL,
  PIPELINE_OVER_NODES,
  DOES_NOT_FIT
}
