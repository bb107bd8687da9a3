// XGBoost C API from Debian libxgboost-dev (/usr/include/xgboost/c_api.h).
#include <xgboost/c_api.h>
