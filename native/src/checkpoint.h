// checkpoint.h - the versioned checkpoint file: format tag and version, config, encoder
// input width, word count, step count, every parameter and the Adam state, written to
// "<path>.tmp" and renamed into place. Every failure is CLCREC_ERR_IO naming the path.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <torch/torch.h>

#include "clcrec.h"

namespace clcrec {

constexpr int64_t kCheckpointFormatVersion = 1;

struct CheckpointHeader {
  clcrec_config config{};
  int64_t feature_width = 0;
  int64_t num_words = 0;
  int64_t steps = 0;
};

void write_checkpoint(const std::string& path, const CheckpointHeader& header,
                      const std::vector<std::pair<std::string, torch::Tensor>>& parameters,
                      const torch::optim::Optimizer& optimizer);

// Opens a checkpoint (tensors mapped to device) and reads and checks its header.
struct OpenCheckpoint {
  torch::serialize::InputArchive archive;
  CheckpointHeader header;
};
std::unique_ptr<OpenCheckpoint> open_checkpoint(const std::string& path, const torch::Device& device);
// The same for a checkpoint held in memory (size bytes at data); label names it in errors.
std::unique_ptr<OpenCheckpoint> open_checkpoint(const char* data, size_t size, const std::string& label,
                                                const torch::Device& device);

// Reads a parameter tensor of the given shape; IO error naming path and key otherwise (also
// when it holds NaN or infinite values).
torch::Tensor read_checkpoint_parameter(OpenCheckpoint& checkpoint, const std::string& path,
                                        const std::string& name, at::IntArrayRef shape);

// Loads the Adam state stored in the checkpoint into optimizer; refuses non-finite moments.
void read_checkpoint_optimizer(OpenCheckpoint& checkpoint, const std::string& path,
                               torch::optim::Optimizer& optimizer);

}  // namespace clcrec
