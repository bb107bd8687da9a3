// System zlib (Debian package zlib1g-dev) for the CandleData reader.
#include <zlib.h>
