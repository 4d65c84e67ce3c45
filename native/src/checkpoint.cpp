#include "checkpoint.h"

#include <cstdio>

#include "error_boundary.h"

namespace clcrec {

namespace {

const char* const kFormatTag = "clcrec-checkpoint";

[[noreturn]] void io_error(const std::string& path, const std::string& what) {
  fail(CLCREC_ERR_IO, "checkpoint '" + path + "': " + what);
}

std::string describe(const std::exception& e) {
  if (auto* c10 = dynamic_cast<const c10::Error*>(&e)) return c10->what_without_backtrace();
  return e.what();
}

void write_int(torch::serialize::OutputArchive& archive, const std::string& key, int64_t v) {
  archive.write(key, c10::IValue(v));
}
void write_double(torch::serialize::OutputArchive& archive, const std::string& key, double v) {
  archive.write(key, c10::IValue(v));
}

int64_t read_int(torch::serialize::InputArchive& archive, const std::string& key,
                 const std::string& path) {
  c10::IValue value;
  if (!archive.try_read(key, value) || !value.isInt()) io_error(path, "missing or invalid field '" + key + "'");
  return value.toInt();
}
double read_double(torch::serialize::InputArchive& archive, const std::string& key,
                   const std::string& path) {
  c10::IValue value;
  if (!archive.try_read(key, value) || !value.isDouble()) io_error(path, "missing or invalid field '" + key + "'");
  return value.toDouble();
}

double read_optional_double(torch::serialize::InputArchive& archive, const std::string& key, double absent,
                            const std::string& path) {
  c10::IValue value;
  if (!archive.try_read(key, value)) return absent;
  if (!value.isDouble()) io_error(path, "invalid field '" + key + "'");
  return value.toDouble();
}

}  // namespace

void write_checkpoint(const std::string& path, const CheckpointHeader& header,
                      const std::vector<std::pair<std::string, torch::Tensor>>& parameters,
                      const torch::optim::Optimizer& optimizer) {
  const std::string temporary = path + ".tmp";
  try {
    torch::serialize::OutputArchive archive;
    archive.write("format", c10::IValue(std::string(kFormatTag)));
    write_int(archive, "format_version", kCheckpointFormatVersion);
    const clcrec_config& c = header.config;
    write_int(archive, "config/num_user", c.num_user);
    write_int(archive, "config/num_item", c.num_item);
    write_int(archive, "config/num_warm_item", c.num_warm_item);
    write_int(archive, "config/dim_e", c.dim_e);
    write_int(archive, "config/hidden_dim", c.hidden_dim);
    write_int(archive, "config/word_dim", c.word_dim);
    write_double(archive, "config/temp_value", c.temp_value);
    write_double(archive, "config/re_temp_value", c.re_temp_value);
    write_double(archive, "config/lr_lambda", c.lr_lambda);
    write_double(archive, "config/reg_weight", c.reg_weight);
    write_double(archive, "config/learning_rate", c.learning_rate);
    write_int(archive, "config/device_type", c.device_type);
    write_int(archive, "config/device_index", c.device_index);
    write_int(archive, "config/num_threads", c.num_threads);
    write_int(archive, "config/train_word_embedding", c.train_word_embedding);
    write_int(archive, "config/seed", c.seed);
    write_int(archive, "feature_width", header.feature_width);
    write_int(archive, "num_words", header.num_words);
    write_int(archive, "steps", header.steps);
    for (const auto& [name, tensor] : parameters) {
      archive.write("param/" + name, tensor.detach().to(torch::kCPU));
    }
    torch::serialize::OutputArchive optimizer_archive;
    optimizer.save(optimizer_archive);
    archive.write("optimizer", optimizer_archive);
    archive.save_to(temporary);
  } catch (const ClcrecError&) {
    throw;
  } catch (const std::exception& e) {
    std::remove(temporary.c_str());
    fail(CLCREC_ERR_IO, "cannot write checkpoint '" + path + "': " + describe(e));
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    std::remove(temporary.c_str());
    fail(CLCREC_ERR_IO, "cannot rename '" + temporary + "' to '" + path + "'");
  }
}

namespace {

void read_header(std::unique_ptr<OpenCheckpoint>& checkpoint, const std::string& path);

}  // namespace

std::unique_ptr<OpenCheckpoint> open_checkpoint(const std::string& path, const torch::Device& device) {
  auto checkpoint = std::make_unique<OpenCheckpoint>();
  {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (f == nullptr) io_error(path, "file does not exist or cannot be opened");
    std::fclose(f);
  }
  try {
    checkpoint->archive.load_from(path, device);
  } catch (const std::exception& e) {
    io_error(path, "not a readable checkpoint (" + describe(e) + ")");
  }
  read_header(checkpoint, path);
  return checkpoint;
}

std::unique_ptr<OpenCheckpoint> open_checkpoint(const char* data, size_t size, const std::string& label,
                                                const torch::Device& device) {
  auto checkpoint = std::make_unique<OpenCheckpoint>();
  try {
    // Reads the records out of the buffer into tensors of their own; the buffer may go after this.
    checkpoint->archive.load_from(data, size, device);
  } catch (const std::exception& e) {
    io_error(label, "not a readable checkpoint (" + describe(e) + ")");
  }
  read_header(checkpoint, label);
  return checkpoint;
}

namespace {

void read_header(std::unique_ptr<OpenCheckpoint>& checkpoint, const std::string& path) {
  auto& archive = checkpoint->archive;
  c10::IValue tag;
  if (!archive.try_read("format", tag) || !tag.isString() || tag.toStringRef() != kFormatTag) {
    io_error(path, "not a CLCRec checkpoint (format tag missing)");
  }
  const int64_t version = read_int(archive, "format_version", path);
  if (version != kCheckpointFormatVersion) {
    io_error(path, "format version " + std::to_string(version) + " is not supported (expected " +
                       std::to_string(kCheckpointFormatVersion) + ")");
  }
  CheckpointHeader& h = checkpoint->header;
  clcrec_config& c = h.config;
  c.num_user = read_int(archive, "config/num_user", path);
  c.num_item = read_int(archive, "config/num_item", path);
  c.num_warm_item = read_int(archive, "config/num_warm_item", path);
  c.dim_e = read_int(archive, "config/dim_e", path);
  c.hidden_dim = read_int(archive, "config/hidden_dim", path);
  c.word_dim = read_int(archive, "config/word_dim", path);
  c.temp_value = read_double(archive, "config/temp_value", path);
  // Written since ABI 6; a checkpoint from before it used temp_value for both terms.
  c.re_temp_value = read_optional_double(archive, "config/re_temp_value", 0.0, path);
  c.lr_lambda = read_double(archive, "config/lr_lambda", path);
  c.reg_weight = read_double(archive, "config/reg_weight", path);
  c.learning_rate = read_double(archive, "config/learning_rate", path);
  c.device_type = static_cast<int32_t>(read_int(archive, "config/device_type", path));
  c.device_index = static_cast<int32_t>(read_int(archive, "config/device_index", path));
  c.num_threads = static_cast<int32_t>(read_int(archive, "config/num_threads", path));
  c.train_word_embedding = static_cast<int32_t>(read_int(archive, "config/train_word_embedding", path));
  c.seed = read_int(archive, "config/seed", path);
  h.feature_width = read_int(archive, "feature_width", path);
  h.num_words = read_int(archive, "num_words", path);
  h.steps = read_int(archive, "steps", path);
  if (c.num_user <= 0 || c.num_item <= 0 || c.dim_e <= 0 || c.hidden_dim <= 0 ||
      c.num_warm_item < 0 || c.num_warm_item > c.num_item || h.feature_width <= 0 ||
      h.num_words < 0 || h.steps < 0) {
    io_error(path, "corrupt header (invalid sizes)");
  }
}

// A NaN or infinite value in stored weights or Adam moments would load and then serve scores of
// NaN (ranked arbitrarily), so a checkpoint holding one is refused.
void require_finite_tensor(const torch::Tensor& t, const std::string& path, const std::string& what) {
  if (!t.defined() || !t.is_floating_point() || t.numel() == 0) return;
  if (!torch::isfinite(t).all().item<bool>()) {
    io_error(path, what + " holds NaN or infinite values");
  }
}

}  // namespace

torch::Tensor read_checkpoint_parameter(OpenCheckpoint& checkpoint, const std::string& path,
                                        const std::string& name, at::IntArrayRef shape) {
  torch::Tensor tensor;
  bool found = false;
  try {
    found = checkpoint.archive.try_read("param/" + name, tensor);
  } catch (const std::exception& e) {
    io_error(path, "cannot read parameter '" + name + "' (" + describe(e) + ")");
  }
  if (!found || !tensor.defined()) io_error(path, "parameter '" + name + "' is missing");
  if (tensor.sizes() != shape || tensor.scalar_type() != torch::kFloat32) {
    io_error(path, "parameter '" + name + "' has shape " + c10::str(tensor.sizes()) +
                       ", the model expects " + c10::str(shape));
  }
  require_finite_tensor(tensor, path, "parameter '" + name + "'");
  return tensor;
}

void read_checkpoint_optimizer(OpenCheckpoint& checkpoint, const std::string& path,
                               torch::optim::Optimizer& optimizer) {
  try {
    torch::serialize::InputArchive optimizer_archive;
    if (!checkpoint.archive.try_read("optimizer", optimizer_archive)) {
      io_error(path, "optimizer state is missing");
    }
    optimizer.load(optimizer_archive);
    for (const auto& entry : optimizer.state()) {
      const auto* adam = dynamic_cast<const torch::optim::AdamParamState*>(entry.second.get());
      if (adam == nullptr) continue;
      require_finite_tensor(adam->exp_avg(), path, "Adam state (first moment)");
      require_finite_tensor(adam->exp_avg_sq(), path, "Adam state (second moment)");
    }
  } catch (const ClcrecError&) {
    throw;
  } catch (const std::exception& e) {
    io_error(path, "cannot read optimizer state (" + describe(e) + ")");
  }
}

}  // namespace clcrec
