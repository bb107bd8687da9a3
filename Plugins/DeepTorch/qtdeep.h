/* QuantumTrader deep forecasters (N-HiTS, TFT) on libtorch: the plain C surface of libqtdeep.so.
 *
 * Swift never links this library: Signals opens it with dlopen when a deep model is trained or
 * loaded, so binaries and tests without a deep member start without libtorch.
 *
 * Every function returning int returns 0 on success, or non-zero with a message copied into
 * `error` (at most `error_size` bytes, NUL-terminated). No C++ exception escapes.
 *
 * Shapes (row-major float32):
 *   past    [rows, length, channels]           past window, oldest step first
 *   future  [rows, future_length, future_channels]  known-future inputs (TFT; may be NULL for N-HiTS)
 *   target  [rows]                              forward return to forecast
 *   output  [rows, quantile_count]              forecast quantiles, in the target's units
 */
#ifndef QTDEEP_H
#define QTDEEP_H
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif

typedef struct qtd_model qtd_model;
/* Called after every epoch; returning non-zero stops training. */
typedef int (*qtd_progress)(void *context, int32_t epoch, int32_t epochs, double training_loss, double validation_loss);

/* "libtorch 1.13.1": the version this plugin was compiled against. */
const char *qtd_library_version(void);

/* Creates an untrained model. `config` is space-separated key=value:
 *   arch=nhits|tft length= channels= future_length= future_channels= quantiles=0.05,0.1,...
 *   hidden= heads= seed= epochs= patience= batch= learning_rate= */
int qtd_create(const char *config, qtd_model **out, char *error, int32_t error_size);

/* Trains on (past, future, target) with Adam, shuffled mini-batches from the seed, pinball loss;
 * stops early when the validation loss has not improved for `patience` epochs and keeps the
 * best epoch's weights. Writes the number of epochs run and the best epoch (1-based). */
int qtd_train(qtd_model *model, const float *past, const float *future, const float *target, int64_t rows,
              const float *validation_past, const float *validation_future, const float *validation_target,
              int64_t validation_rows, qtd_progress progress, void *context, int32_t *epochs_run,
              int32_t *best_epoch, char *error, int32_t error_size);

int qtd_predict(qtd_model *model, const float *past, const float *future, int64_t rows, float *output,
                char *error, int32_t error_size);

int qtd_save(qtd_model *model, const char *path, char *error, int32_t error_size);
/* Loads weights and normalisation into a model created with the same config; a file of another
 * architecture or shape is refused. */
int qtd_load(qtd_model *model, const char *path, char *error, int32_t error_size);

void qtd_free(qtd_model *model);

#ifdef __cplusplus
}
#endif
#endif
