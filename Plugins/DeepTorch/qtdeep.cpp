// N-HiTS and a small Temporal Fusion Transformer on libtorch 1.13, behind the C surface of
// qtdeep.h. Both forecast quantiles of one target (the label's forward return); the caller
// turns them into class probabilities. CPU, one thread, seeded: reproducible run to run.
#include "qtdeep.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

namespace {

using torch::Tensor;
namespace nn = torch::nn;
namespace F = torch::nn::functional;

struct Config {
    std::string arch;
    int64_t length = 0, channels = 0, future_length = 0, future_channels = 0;
    std::vector<double> quantiles;
    int64_t hidden = 64, heads = 4, epochs = 40, patience = 5, batch = 256;
    uint64_t seed = 7;
    double learning_rate = 1e-3;
};

Config parse(const std::string &text) {
    Config config;
    std::map<std::string, std::string> values;
    std::istringstream stream(text);
    std::string item;
    while (stream >> item) {
        auto equals = item.find('=');
        if (equals == std::string::npos) throw std::runtime_error("config item without '=': " + item);
        values[item.substr(0, equals)] = item.substr(equals + 1);
    }
    auto integer = [&](const char *key, int64_t &out) {
        if (values.count(key)) out = std::stoll(values[key]);
    };
    config.arch = values["arch"];
    integer("length", config.length);
    integer("channels", config.channels);
    integer("future_length", config.future_length);
    integer("future_channels", config.future_channels);
    integer("hidden", config.hidden);
    integer("heads", config.heads);
    integer("epochs", config.epochs);
    integer("patience", config.patience);
    integer("batch", config.batch);
    if (values.count("seed")) config.seed = std::stoull(values["seed"]);
    if (values.count("learning_rate")) config.learning_rate = std::stod(values["learning_rate"]);
    std::istringstream list(values["quantiles"]);
    std::string level;
    while (std::getline(list, level, ',')) config.quantiles.push_back(std::stod(level));
    if (config.arch != "nhits" && config.arch != "tft") throw std::runtime_error("arch must be nhits or tft, got '" + config.arch + "'");
    if (config.length < 1 || config.channels < 1) throw std::runtime_error("length and channels must be at least 1");
    if (config.quantiles.size() < 2) throw std::runtime_error("need at least two quantiles");
    if (config.hidden < 4 || config.epochs < 1 || config.batch < 1) throw std::runtime_error("hidden >= 4, epochs >= 1, batch >= 1");
    if (config.arch == "tft" && (config.future_length < 1 || config.future_channels < 1 || config.hidden % config.heads != 0))
        throw std::runtime_error("tft needs future_length >= 1, future_channels >= 1 and hidden divisible by heads");
    return config;
}

/// Common base: normalisation buffers fitted on the training rows, and the forecast.
struct ForecasterImpl : nn::Module {
    Tensor input_mean, input_scale, target_scale;
    explicit ForecasterImpl(int64_t channels) {
        input_mean = register_buffer("input_mean", torch::zeros({channels}));
        input_scale = register_buffer("input_scale", torch::ones({channels}));
        target_scale = register_buffer("target_scale", torch::ones({1}));
    }
    /// Quantiles in units of `target_scale` for normalised inputs.
    virtual Tensor forecast(const Tensor &past, const Tensor &future) = 0;
    Tensor normalise(const Tensor &past) { return (past - input_mean) / input_scale; }
};

// ---- N-HiTS (Challu et al. 2023) ----------------------------------------------------------
// Stacks of one MLP block each. Block s max-pools the residual input window with kernel k_s
// (multi-rate sampling: coarse stacks see the slow components), an MLP gives a backcast that is
// subtracted from the residual (doubly residual stacking) and n_s forecast coefficients that are
// linearly interpolated to the output grid (hierarchical interpolation). The forecast here has
// one horizon and Q quantile levels, so the interpolation runs over the quantile grid: the
// coarse stack draws the quantile function through few knots, finer stacks add detail.
struct NHiTSBlockImpl : nn::Module {
    int64_t kernel, knots, length, channels, outputs;
    nn::Sequential mlp{nullptr};
    nn::Linear backcast{nullptr}, forecast{nullptr};
    NHiTSBlockImpl(int64_t kernel_, int64_t knots_, int64_t length_, int64_t channels_, int64_t hidden, int64_t outputs_)
        : kernel(kernel_), knots(knots_), length(length_), channels(channels_), outputs(outputs_) {
        int64_t pooled = (length + kernel - 1) / kernel;
        mlp = register_module("mlp", nn::Sequential(nn::Linear(pooled * channels, hidden), nn::ReLU(),
                                                    nn::Linear(hidden, hidden), nn::ReLU()));
        backcast = register_module("backcast", nn::Linear(hidden, length * channels));
        forecast = register_module("forecast", nn::Linear(hidden, knots));
    }
    std::pair<Tensor, Tensor> forward(const Tensor &residual) {  // residual [B, L, C]
        auto series = residual.transpose(1, 2);                   // [B, C, L]
        auto pooled = kernel > 1 ? F::max_pool1d(series, F::MaxPool1dFuncOptions(kernel).stride(kernel).ceil_mode(true)) : series;
        auto hidden = mlp->forward(pooled.flatten(1));
        auto back = backcast->forward(hidden).view({-1, length, channels});
        auto coefficients = forecast->forward(hidden).unsqueeze(1);  // [B, 1, knots]
        auto forecastGrid = knots == outputs ? coefficients
            : F::interpolate(coefficients, F::InterpolateFuncOptions().size(std::vector<int64_t>{outputs})
                                                .mode(torch::kLinear).align_corners(true));
        return {back, forecastGrid.squeeze(1)};
    }
};
TORCH_MODULE(NHiTSBlock);

struct NHiTSImpl : ForecasterImpl {
    std::vector<NHiTSBlock> blocks;
    explicit NHiTSImpl(const Config &config) : ForecasterImpl(config.channels) {
        int64_t outputs = static_cast<int64_t>(config.quantiles.size());
        const int64_t kernels[3] = {std::min<int64_t>(4, config.length), std::min<int64_t>(2, config.length), 1};
        const int64_t knots[3] = {std::min<int64_t>(3, outputs), std::max<int64_t>(2, (outputs + 1) / 2), outputs};
        for (int stack = 0; stack < 3; ++stack) {
            blocks.push_back(register_module("stack" + std::to_string(stack),
                NHiTSBlock(kernels[stack], knots[stack], config.length, config.channels, config.hidden, outputs)));
        }
    }
    Tensor forecast(const Tensor &past, const Tensor &) override {
        auto residual = past;
        Tensor total;
        for (auto &block : blocks) {
            auto [back, fore] = block->forward(residual);
            residual = residual - back;
            total = total.defined() ? total + fore : fore;
        }
        return total;
    }
};

// ---- Temporal Fusion Transformer (Lim et al. 2021), small --------------------------------
// Variable selection networks for past and known-future inputs, gated residual networks, an
// LSTM encoder-decoder, interpretable multi-head attention (per-head queries and keys, one
// shared value projection, heads averaged) under a causal mask, gated skip connections with
// layer norm, and a quantile head on the last decoder step (the label horizon). No static
// covariates (the feature set has none), so static enrichment and static contexts are omitted.
struct GatedResidualImpl : nn::Module {
    nn::Linear first{nullptr}, second{nullptr}, gate{nullptr}, skip{nullptr};
    nn::LayerNorm norm{nullptr};
    GatedResidualImpl(int64_t input, int64_t hidden, int64_t output) {
        first = register_module("first", nn::Linear(input, hidden));
        second = register_module("second", nn::Linear(hidden, hidden));
        gate = register_module("gate", nn::Linear(hidden, 2 * output));
        if (input != output) skip = register_module("skip", nn::Linear(input, output));
        norm = register_module("norm", nn::LayerNorm(nn::LayerNormOptions({output})));
    }
    Tensor forward(const Tensor &x) {
        auto hidden = second->forward(F::elu(first->forward(x)));
        auto gated = F::glu(gate->forward(hidden), -1);
        return norm->forward((skip ? skip->forward(x) : x) + gated);
    }
};
TORCH_MODULE(GatedResidual);

/// Embeds each scalar variable (its own linear map), transforms it with a GRN and weights the
/// variables by a softmax computed by a GRN over all of them.
struct VariableSelectionImpl : nn::Module {
    Tensor embed_weight, embed_bias;
    GatedResidual variable{nullptr}, selector{nullptr};
    int64_t variables, hidden;
    VariableSelectionImpl(int64_t variables_, int64_t hidden_) : variables(variables_), hidden(hidden_) {
        embed_weight = register_parameter("embed_weight", torch::randn({variables, hidden}) * 0.1);
        embed_bias = register_parameter("embed_bias", torch::zeros({variables, hidden}));
        variable = register_module("variable", GatedResidual(hidden, hidden, hidden));
        selector = register_module("selector", GatedResidual(variables * hidden, hidden, variables));
    }
    Tensor forward(const Tensor &x) {  // [B, T, V] -> [B, T, H]
        auto embedded = x.unsqueeze(-1) * embed_weight + embed_bias;      // [B, T, V, H]
        auto weights = torch::softmax(selector->forward(embedded.flatten(2)), -1).unsqueeze(-1);
        return (variable->forward(embedded) * weights).sum(2);
    }
};
TORCH_MODULE(VariableSelection);

/// Gate (GLU) then add and layer-normalise: the TFT's "gated skip connection".
struct GateAddNormImpl : nn::Module {
    nn::Linear gate{nullptr};
    nn::LayerNorm norm{nullptr};
    explicit GateAddNormImpl(int64_t hidden) {
        gate = register_module("gate", nn::Linear(hidden, 2 * hidden));
        norm = register_module("norm", nn::LayerNorm(nn::LayerNormOptions({hidden})));
    }
    Tensor forward(const Tensor &x, const Tensor &residual) { return norm->forward(residual + F::glu(gate->forward(x), -1)); }
};
TORCH_MODULE(GateAddNorm);

struct InterpretableAttentionImpl : nn::Module {
    int64_t heads, head_size;
    nn::Linear queries{nullptr}, keys{nullptr}, values{nullptr}, output{nullptr};
    InterpretableAttentionImpl(int64_t hidden, int64_t heads_) : heads(heads_), head_size(hidden / heads_) {
        queries = register_module("queries", nn::Linear(hidden, hidden));
        keys = register_module("keys", nn::Linear(hidden, hidden));
        values = register_module("values", nn::Linear(hidden, head_size));
        output = register_module("output", nn::Linear(head_size, hidden));
    }
    Tensor forward(const Tensor &x) {  // [B, T, H], causal
        auto batch = x.size(0), steps = x.size(1);
        auto q = queries->forward(x).view({batch, steps, heads, head_size}).transpose(1, 2);
        auto k = keys->forward(x).view({batch, steps, heads, head_size}).transpose(1, 2);
        auto v = values->forward(x).unsqueeze(1);  // shared by every head
        auto scores = torch::matmul(q, k.transpose(-2, -1)) / std::sqrt(static_cast<double>(head_size));
        auto mask = torch::ones({steps, steps}, torch::kBool).triu(1);
        scores = scores.masked_fill(mask, -1e9);
        auto mixed = torch::matmul(torch::softmax(scores, -1), v).mean(1);  // heads averaged
        return output->forward(mixed);
    }
};
TORCH_MODULE(InterpretableAttention);

struct TFTImpl : ForecasterImpl {
    VariableSelection past_selection{nullptr}, future_selection{nullptr};
    nn::LSTM encoder{nullptr}, decoder{nullptr};
    GateAddNorm lstm_gate{nullptr}, attention_gate{nullptr}, output_gate{nullptr};
    InterpretableAttention attention{nullptr};
    GatedResidual position_wise{nullptr};
    nn::Linear head{nullptr};
    explicit TFTImpl(const Config &config) : ForecasterImpl(config.channels) {
        auto hidden = config.hidden;
        past_selection = register_module("past_selection", VariableSelection(config.channels, hidden));
        future_selection = register_module("future_selection", VariableSelection(config.future_channels, hidden));
        encoder = register_module("encoder", nn::LSTM(nn::LSTMOptions(hidden, hidden).batch_first(true)));
        decoder = register_module("decoder", nn::LSTM(nn::LSTMOptions(hidden, hidden).batch_first(true)));
        lstm_gate = register_module("lstm_gate", GateAddNorm(hidden));
        attention = register_module("attention", InterpretableAttention(hidden, config.heads));
        attention_gate = register_module("attention_gate", GateAddNorm(hidden));
        position_wise = register_module("position_wise", GatedResidual(hidden, hidden, hidden));
        output_gate = register_module("output_gate", GateAddNorm(hidden));
        head = register_module("head", nn::Linear(hidden, static_cast<int64_t>(config.quantiles.size())));
    }
    Tensor forecast(const Tensor &past, const Tensor &future) override {
        auto pastSelected = past_selection->forward(past);
        auto futureSelected = future_selection->forward(future);
        auto encoded = encoder->forward(pastSelected);
        auto decoded = decoder->forward(futureSelected, std::get<1>(encoded));
        auto selected = torch::cat({pastSelected, futureSelected}, 1);
        auto temporal = lstm_gate->forward(torch::cat({std::get<0>(encoded), std::get<0>(decoded)}, 1), selected);
        auto attended = attention_gate->forward(attention->forward(temporal), temporal);
        auto enriched = output_gate->forward(position_wise->forward(attended), temporal);
        return head->forward(enriched.select(1, enriched.size(1) - 1));
    }
};

}  // namespace

struct qtd_model {
    Config config;
    std::shared_ptr<ForecasterImpl> network;
};

namespace {

void fail(const std::string &message, char *error, int32_t size) {
    if (error && size > 0) {
        std::strncpy(error, message.c_str(), static_cast<size_t>(size) - 1);
        error[size - 1] = '\0';
    }
}

template <typename Body>
int guarded(char *error, int32_t size, Body body) {
    try {
        body();
        return 0;
    } catch (const c10::Error &e) {
        fail(e.what_without_backtrace(), error, size);
    } catch (const std::exception &e) {
        fail(e.what(), error, size);
    } catch (...) {
        fail("unknown C++ exception", error, size);
    }
    return 1;
}

void useOneThread() {
    static bool done = false;
    if (done) return;
    done = true;
    torch::set_num_threads(1);
    try { torch::set_num_interop_threads(1); } catch (...) {}  // only settable before first use
}

Tensor view(const float *data, int64_t rows, std::vector<int64_t> shape) {
    shape.insert(shape.begin(), rows);
    return torch::from_blob(const_cast<float *>(data), shape, torch::kFloat32);
}

Tensor pinball(const Tensor &predicted, const Tensor &target, const Tensor &levels) {
    auto error = target.unsqueeze(1) - predicted;
    return torch::max(levels * error, (levels - 1) * error).mean();
}

struct Batch {
    Tensor past, future, target;
};

Batch inputs(qtd_model *model, const float *past, const float *future, const float *target, int64_t rows) {
    const auto &c = model->config;
    Batch batch;
    batch.past = view(past, rows, {c.length, c.channels});
    if (c.arch == "tft") {
        if (!future) throw std::runtime_error("tft needs the known-future inputs");
        batch.future = view(future, rows, {c.future_length, c.future_channels});
    } else {
        batch.future = torch::zeros({rows, 1, 1});
    }
    if (target) batch.target = view(target, rows, {});
    return batch;
}

}  // namespace

extern "C" {

const char *qtd_library_version(void) {
    static const std::string version = "libtorch " + std::to_string(TORCH_VERSION_MAJOR) + "." + std::to_string(TORCH_VERSION_MINOR) + "." +
                                       std::to_string(TORCH_VERSION_PATCH);
    return version.c_str();
}

int qtd_create(const char *config, qtd_model **out, char *error, int32_t error_size) {
    return guarded(error, error_size, [&] {
        useOneThread();
        auto model = std::make_unique<qtd_model>();
        model->config = parse(config ? config : "");
        // Initial weights come from the global generator: seed and construct under one lock so
        // models created on several threads at once still get their seed's weights.
        static std::mutex creation;
        std::lock_guard<std::mutex> lock(creation);
        torch::manual_seed(model->config.seed);
        if (model->config.arch == "nhits") model->network = std::make_shared<NHiTSImpl>(model->config);
        else model->network = std::make_shared<TFTImpl>(model->config);
        *out = model.release();
    });
}

int qtd_train(qtd_model *model, const float *past, const float *future, const float *target, int64_t rows,
              const float *validation_past, const float *validation_future, const float *validation_target,
              int64_t validation_rows, qtd_progress progress, void *context, int32_t *epochs_run, int32_t *best_epoch,
              char *error, int32_t error_size) {
    return guarded(error, error_size, [&] {
        useOneThread();
        if (rows < 2 || validation_rows < 1) throw std::runtime_error("need at least 2 training rows and 1 validation row");
        const auto &c = model->config;
        auto &net = *model->network;
        auto train = inputs(model, past, future, target, rows);
        auto validation = inputs(model, validation_past, validation_future, validation_target, validation_rows);
        // Normalisation from the training rows only.
        auto flat = train.past.reshape({-1, c.channels});
        net.input_mean.copy_(flat.mean(0));
        net.input_scale.copy_(flat.std(0, false).clamp_min(1e-6));
        net.target_scale.fill_(std::max(train.target.abs().mean().item<double>(), 1e-8));
        auto levels = torch::tensor(std::vector<float>(c.quantiles.begin(), c.quantiles.end()));
        auto prepare = [&](const Batch &b) {
            return Batch{net.normalise(b.past), b.future, b.target / net.target_scale};
        };
        auto fit = prepare(train), check = prepare(validation);
        auto generator = at::detail::createCPUGenerator(c.seed);
        torch::optim::Adam optimizer(net.parameters(), torch::optim::AdamOptions(c.learning_rate));
        double best = INFINITY;
        int32_t bestAt = 0, epoch = 0, stale = 0;
        std::vector<Tensor> bestState;
        auto snapshot = [&] {
            std::vector<Tensor> state;
            for (auto &p : net.parameters()) state.push_back(p.detach().clone());
            return state;
        };
        for (epoch = 1; epoch <= c.epochs; ++epoch) {
            net.train();
            auto order = torch::randperm(rows, generator, torch::kLong);
            double total = 0;
            int64_t batches = 0;
            for (int64_t start = 0; start < rows; start += c.batch) {
                auto index = order.slice(0, start, std::min(rows, start + c.batch));
                optimizer.zero_grad();
                auto loss = pinball(net.forecast(fit.past.index_select(0, index), fit.future.index_select(0, index)),
                                    fit.target.index_select(0, index), levels);
                loss.backward();
                torch::nn::utils::clip_grad_norm_(net.parameters(), 1.0);
                optimizer.step();
                total += loss.item<double>();
                ++batches;
            }
            double validationLoss;
            {
                torch::NoGradGuard noGrad;
                net.eval();
                validationLoss = pinball(net.forecast(check.past, check.future), check.target, levels).item<double>();
            }
            if (validationLoss < best - 1e-7) {
                best = validationLoss;
                bestAt = epoch;
                bestState = snapshot();
                stale = 0;
            } else {
                ++stale;
            }
            if (progress && progress(context, epoch, static_cast<int32_t>(c.epochs), total / std::max<int64_t>(1, batches), validationLoss) != 0) break;
            if (stale >= c.patience) break;
        }
        if (!bestState.empty()) {
            torch::NoGradGuard noGrad;
            auto parameters = net.parameters();
            for (size_t i = 0; i < parameters.size(); ++i) parameters[i].copy_(bestState[i]);
        }
        net.eval();
        if (epochs_run) *epochs_run = std::min<int32_t>(epoch, static_cast<int32_t>(c.epochs));
        if (best_epoch) *best_epoch = bestAt;
    });
}

int qtd_predict(qtd_model *model, const float *past, const float *future, int64_t rows, float *output, char *error,
                int32_t error_size) {
    return guarded(error, error_size, [&] {
        useOneThread();
        torch::NoGradGuard noGrad;
        auto &net = *model->network;
        net.eval();
        auto batch = inputs(model, past, future, nullptr, rows);
        auto quantiles = (net.forecast(net.normalise(batch.past), batch.future) * net.target_scale).contiguous();
        std::memcpy(output, quantiles.data_ptr<float>(), sizeof(float) * static_cast<size_t>(quantiles.numel()));
    });
}

int qtd_save(qtd_model *model, const char *path, char *error, int32_t error_size) {
    return guarded(error, error_size, [&] {
        torch::serialize::OutputArchive archive;
        model->network->save(archive);
        archive.save_to(path);
    });
}

int qtd_load(qtd_model *model, const char *path, char *error, int32_t error_size) {
    return guarded(error, error_size, [&] {
        std::vector<std::vector<int64_t>> shapes;
        for (auto &tensor : model->network->named_parameters(true).values()) shapes.push_back(tensor.sizes().vec());
        for (auto &tensor : model->network->named_buffers(true).values()) shapes.push_back(tensor.sizes().vec());
        torch::serialize::InputArchive archive;
        archive.load_from(path);
        model->network->load(archive);
        size_t index = 0;
        auto check = [&](const std::string &name, const Tensor &tensor) {
            if (tensor.sizes().vec() != shapes[index++])
                throw std::runtime_error("tensor " + name + " has another shape in the file: the model file is for another architecture");
        };
        for (auto &item : model->network->named_parameters(true)) check(item.key(), item.value());
        for (auto &item : model->network->named_buffers(true)) check(item.key(), item.value());
        model->network->eval();
    });
}

void qtd_free(qtd_model *model) { delete model; }

}  // extern "C"
