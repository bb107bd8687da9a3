/// The OpenAPI 3.0 document of `/api/v1`, served at `/api/v1/openapi.json`. Kept by hand;
/// `OpenAPIDocumentTests` holds it against the router (every documented operation answers, every
/// API route is documented, every answer matches its schema's required keys) and `make schemathesis`
/// fuzzes the served API against it.
public enum OpenAPIDocument {
    public static let json = #"""
{
 "components": {
  "schemas": {
   "ActionOutcome": {
    "additionalProperties": false,
    "properties": {
     "action": {
      "enum": [
       "close",
       "close_all",
       "halt",
       "resume"
      ],
      "type": "string"
     },
     "detail": {
      "type": "string"
     },
     "request_id": {
      "format": "int64",
      "type": "integer"
     },
     "state": {
      "enum": [
       "done",
       "failed",
       "pending"
      ],
      "type": "string"
     }
    },
    "required": [
     "action",
     "state",
     "detail"
    ],
    "type": "object"
   },
   "Alert": {
    "additionalProperties": false,
    "properties": {
     "kind": {
      "type": "string"
     },
     "message": {
      "type": "string"
     },
     "run_id": {
      "format": "int64",
      "type": "integer"
     },
     "severity": {
      "enum": [
       "INFO",
       "WARNING",
       "CRITICAL"
      ],
      "type": "string"
     },
     "symbol": {
      "type": "string"
     },
     "time": {
      "type": "string"
     }
    },
    "required": [
     "time",
     "severity",
     "kind",
     "message"
    ],
    "type": "object"
   },
   "EquityPoint": {
    "additionalProperties": false,
    "properties": {
     "drawdown": {
      "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
      "type": "string"
     },
     "equity": {
      "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
      "type": "string"
     },
     "time": {
      "type": "string"
     },
     "time_milliseconds": {
      "format": "int64",
      "type": "integer"
     }
    },
    "required": [
     "time",
     "time_milliseconds",
     "equity",
     "drawdown"
    ],
    "type": "object"
   },
   "Error": {
    "additionalProperties": false,
    "properties": {
     "error": {
      "type": "string"
     }
    },
    "required": [
     "error"
    ],
    "type": "object"
   },
   "Model": {
    "additionalProperties": false,
    "properties": {
     "detail": {
      "type": "string"
     },
     "figures": {
      "items": {
       "$ref": "#/components/schemas/ModelFigure"
      },
      "type": "array"
     },
     "name": {
      "type": "string"
     },
     "verdict": {
      "type": "string"
     }
    },
    "required": [
     "name",
     "detail",
     "figures"
    ],
    "type": "object"
   },
   "ModelFigure": {
    "additionalProperties": false,
    "properties": {
     "name": {
      "type": "string"
     },
     "value": {
      "type": "string"
     }
    },
    "required": [
     "name",
     "value"
    ],
    "type": "object"
   },
   "Position": {
    "additionalProperties": false,
    "properties": {
     "backstop_price": {
      "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
      "type": "string"
     },
     "entry_price": {
      "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
      "type": "string"
     },
     "exit_owner": {
      "type": "string"
     },
     "last_price_event_age_seconds": {
      "type": "number"
     },
     "last_price_event_at": {
      "type": "string"
     },
     "leverage": {
      "type": "integer"
     },
     "liquidation_price": {
      "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
      "type": "string"
     },
     "mark_price": {
      "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
      "type": "string"
     },
     "price_move_pct": {
      "type": "number"
     },
     "problem": {
      "type": "string"
     },
     "quantity": {
      "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
      "type": "string"
     },
     "roe_pct": {
      "type": "number"
     },
     "run_id": {
      "format": "int64",
      "type": "integer"
     },
     "side": {
      "enum": [
       "LONG",
       "SHORT"
      ],
      "type": "string"
     },
     "stale": {
      "type": "boolean"
     },
     "stop_price": {
      "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
      "type": "string"
     },
     "symbol": {
      "type": "string"
     },
     "target_prices": {
      "items": {
       "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
       "type": "string"
      },
      "type": "array"
     },
     "unprotected": {
      "type": "boolean"
     },
     "unrealized_pnl": {
      "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
      "type": "string"
     }
    },
    "required": [
     "run_id",
     "symbol",
     "side",
     "quantity",
     "entry_price",
     "target_prices",
     "stale",
     "unprotected"
    ],
    "type": "object"
   },
   "Readiness": {
    "additionalProperties": false,
    "properties": {
     "checks": {
      "items": {
       "$ref": "#/components/schemas/ReadinessCheck"
      },
      "type": "array"
     },
     "ready": {
      "type": "boolean"
     }
    },
    "required": [
     "ready",
     "checks"
    ],
    "type": "object"
   },
   "ReadinessCheck": {
    "additionalProperties": false,
    "properties": {
     "detail": {
      "type": "string"
     },
     "name": {
      "type": "string"
     },
     "ok": {
      "type": "boolean"
     }
    },
    "required": [
     "name",
     "ok",
     "detail"
    ],
    "type": "object"
   },
   "ReasonBody": {
    "properties": {
     "reason": {
      "maxLength": 200,
      "minLength": 1,
      "pattern": "\\S",
      "type": "string"
     }
    },
    "required": [
     "reason"
    ],
    "type": "object"
   },
   "Risk": {
    "additionalProperties": false,
    "properties": {
     "engine_state": {
      "type": "string"
     },
     "entries_held_reason": {
      "type": "string"
     },
     "events": {
      "items": {
       "$ref": "#/components/schemas/RiskEvent"
      },
      "type": "array"
     },
     "manual_detail": {
      "type": "string"
     },
     "manual_state": {
      "enum": [
       "ACTIVE",
       "HALTED"
      ],
      "type": "string"
     }
    },
    "required": [
     "manual_state",
     "events"
    ],
    "type": "object"
   },
   "RiskEvent": {
    "additionalProperties": false,
    "properties": {
     "cause": {
      "type": "string"
     },
     "detail": {
      "type": "string"
     },
     "run_id": {
      "format": "int64",
      "type": "integer"
     },
     "state": {
      "type": "string"
     },
     "time": {
      "type": "string"
     }
    },
    "required": [
     "time",
     "state",
     "cause",
     "detail"
    ],
    "type": "object"
   },
   "Run": {
    "additionalProperties": false,
    "properties": {
     "config_hash": {
      "type": "string"
     },
     "detail": {
      "type": "string"
     },
     "finished_at": {
      "type": "string"
     },
     "id": {
      "format": "int64",
      "type": "integer"
     },
     "kind": {
      "enum": [
       "backtest",
       "paper",
       "live"
      ],
      "type": "string"
     },
     "net_pnl": {
      "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
      "type": "string"
     },
     "started_at": {
      "type": "string"
     },
     "summary": {
      "type": "string"
     },
     "trades": {
      "type": "integer"
     }
    },
    "required": [
     "id",
     "kind",
     "started_at",
     "detail",
     "config_hash",
     "trades",
     "net_pnl"
    ],
    "type": "object"
   },
   "Session": {
    "additionalProperties": false,
    "properties": {
     "equity": {
      "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
      "type": "string"
     },
     "in_process": {
      "type": "boolean"
     },
     "label": {
      "type": "string"
     },
     "run_id": {
      "format": "int64",
      "type": "integer"
     },
     "time": {
      "type": "string"
     },
     "wallet_balance": {
      "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
      "type": "string"
     }
    },
    "required": [
     "label",
     "in_process",
     "time"
    ],
    "type": "object"
   },
   "Signal": {
    "additionalProperties": false,
    "properties": {
     "approved": {
      "type": "boolean"
     },
     "confidence": {
      "type": "number"
     },
     "leverage": {
      "type": "integer"
     },
     "quantity": {
      "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
      "type": "string"
     },
     "reasons": {
      "items": {
       "type": "string"
      },
      "type": "array"
     },
     "run_id": {
      "format": "int64",
      "type": "integer"
     },
     "side": {
      "enum": [
       "LONG",
       "SHORT"
      ],
      "type": "string"
     },
     "source": {
      "type": "string"
     },
     "symbol": {
      "type": "string"
     },
     "time": {
      "type": "string"
     }
    },
    "required": [
     "run_id",
     "time",
     "symbol",
     "side",
     "source",
     "approved",
     "reasons"
    ],
    "type": "object"
   },
   "Trade": {
    "additionalProperties": false,
    "properties": {
     "entry_price": {
      "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
      "type": "string"
     },
     "entry_time": {
      "type": "string"
     },
     "exit_price": {
      "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
      "type": "string"
     },
     "exit_reason": {
      "type": "string"
     },
     "exit_time": {
      "type": "string"
     },
     "fees": {
      "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
      "type": "string"
     },
     "funding": {
      "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
      "type": "string"
     },
     "leverage": {
      "type": "integer"
     },
     "net_pnl": {
      "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
      "type": "string"
     },
     "price_move_pct": {
      "type": "number"
     },
     "quantity": {
      "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
      "type": "string"
     },
     "run_id": {
      "format": "int64",
      "type": "integer"
     },
     "side": {
      "enum": [
       "LONG",
       "SHORT"
      ],
      "type": "string"
     },
     "symbol": {
      "type": "string"
     }
    },
    "required": [
     "run_id",
     "symbol",
     "side",
     "quantity",
     "entry_time",
     "entry_price",
     "exit_time",
     "exit_price",
     "exit_reason",
     "price_move_pct",
     "fees",
     "funding",
     "net_pnl",
     "leverage"
    ],
    "type": "object"
   }
  },
  "securitySchemes": {
   "bearerAuth": {
    "scheme": "bearer",
    "type": "http"
   }
  }
 },
 "info": {
  "description": "The operator's console as JSON: positions and their protection, risk, signals, trades, alerts, runs, equity, and the actions (close, close all, halt, resume) through the running session's exit owner. Prices and money are decimal strings.",
  "title": "QuantumTrader dashboard API",
  "version": "1.0.0"
 },
 "openapi": "3.0.3",
 "paths": {
  "/alerts": {
   "get": {
    "operationId": "getAlerts",
    "parameters": [
     {
      "description": "how many, newest first",
      "in": "query",
      "name": "limit",
      "required": false,
      "schema": {
       "default": 50,
       "maximum": 500,
       "minimum": 1,
       "type": "integer"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "additionalProperties": false,
         "properties": {
          "alerts": {
           "items": {
            "$ref": "#/components/schemas/Alert"
           },
           "type": "array"
          }
         },
         "required": [
          "alerts"
         ],
         "type": "object"
        }
       }
      },
      "description": "OK"
     },
     "400": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      },
      "description": "a malformed parameter"
     },
     "401": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      },
      "description": "no or wrong bearer token"
     },
     "503": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      },
      "description": "the store or the session cannot be read"
     }
    },
    "summary": "Recent alerts"
   }
  },
  "/close-all": {
   "post": {
    "operationId": "closeAll",
    "parameters": [
     {
      "description": "seconds to wait for the session's answer",
      "in": "query",
      "name": "wait",
      "required": false,
      "schema": {
       "default": 0,
       "maximum": 30,
       "minimum": 0,
       "type": "integer"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ActionOutcome"
        }
       }
      },
      "description": "done (see detail)"
     },
     "202": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ActionOutcome"
        }
       }
      },
      "description": "recorded, not answered yet: poll /requests/{id}"
     },
     "409": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ActionOutcome"
        }
       }
      },
      "description": "failed: nothing (or not everything) was done; detail says why"
     },
     "400": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      },
      "description": "a malformed parameter or body"
     },
     "401": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      },
      "description": "no or wrong bearer token"
     }
    },
    "summary": "Close every open position through its exit owner"
   }
  },
  "/equity": {
   "get": {
    "operationId": "getEquity",
    "parameters": [
     {
      "description": "how many, newest first",
      "in": "query",
      "name": "limit",
      "required": false,
      "schema": {
       "default": 50,
       "maximum": 500,
       "minimum": 1,
       "type": "integer"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "additionalProperties": false,
         "properties": {
          "equity": {
           "items": {
            "$ref": "#/components/schemas/EquityPoint"
           },
           "type": "array"
          }
         },
         "required": [
          "equity"
         ],
         "type": "object"
        }
       }
      },
      "description": "OK"
     },
     "400": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      },
      "description": "a malformed parameter"
     },
     "401": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      },
      "description": "no or wrong bearer token"
     },
     "503": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      },
      "description": "the store or the session cannot be read"
     }
    },
    "summary": "Equity and drawdown samples of the session's run"
   }
  },
  "/halt": {
   "post": {
    "operationId": "halt",
    "requestBody": {
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/ReasonBody"
       }
      }
     },
     "required": true
    },
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ActionOutcome"
        }
       }
      },
      "description": "done (see detail)"
     },
     "202": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ActionOutcome"
        }
       }
      },
      "description": "recorded, not answered yet: poll /requests/{id}"
     },
     "409": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ActionOutcome"
        }
       }
      },
      "description": "failed: nothing (or not everything) was done; detail says why"
     },
     "400": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      },
      "description": "a malformed parameter or body"
     },
     "401": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      },
      "description": "no or wrong bearer token"
     }
    },
    "summary": "Halt new entries (manual risk state)"
   }
  },
  "/model": {
   "get": {
    "operationId": "getModel",
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Model"
        }
       }
      },
      "description": "OK"
     },
     "401": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      },
      "description": "no or wrong bearer token"
     },
     "404": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      },
      "description": "not known to this process"
     }
    },
    "summary": "The strategy or model in use with its out-of-sample figures"
   }
  },
  "/openapi.json": {
   "get": {
    "operationId": "getOpenAPI",
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "type": "object"
        }
       }
      },
      "description": "OK"
     },
     "401": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      },
      "description": "no or wrong bearer token"
     }
    },
    "summary": "This document"
   }
  },
  "/positions": {
   "get": {
    "operationId": "getPositions",
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "additionalProperties": false,
         "properties": {
          "positions": {
           "items": {
            "$ref": "#/components/schemas/Position"
           },
           "type": "array"
          }
         },
         "required": [
          "positions"
         ],
         "type": "object"
        }
       }
      },
      "description": "OK"
     },
     "401": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      },
      "description": "no or wrong bearer token"
     },
     "503": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      },
      "description": "the store or the session cannot be read"
     }
    },
    "summary": "Open positions with their protection"
   }
  },
  "/positions/{symbol}/close": {
   "post": {
    "operationId": "closePosition",
    "parameters": [
     {
      "in": "path",
      "name": "symbol",
      "required": true,
      "schema": {
       "pattern": "^[A-Z0-9]{1,32}$",
       "type": "string"
      }
     },
     {
      "description": "seconds to wait for the session's answer",
      "in": "query",
      "name": "wait",
      "required": false,
      "schema": {
       "default": 0,
       "maximum": 30,
       "minimum": 0,
       "type": "integer"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ActionOutcome"
        }
       }
      },
      "description": "done (see detail)"
     },
     "202": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ActionOutcome"
        }
       }
      },
      "description": "recorded, not answered yet: poll /requests/{id}"
     },
     "409": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ActionOutcome"
        }
       }
      },
      "description": "failed: nothing (or not everything) was done; detail says why"
     },
     "400": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      },
      "description": "a malformed parameter or body"
     },
     "401": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      },
      "description": "no or wrong bearer token"
     }
    },
    "summary": "Close a position through its exit owner (reduce-only market)"
   }
  },
  "/readiness": {
   "get": {
    "operationId": "getReadiness",
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Readiness"
        }
       }
      },
      "description": "OK"
     },
     "401": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      },
      "description": "no or wrong bearer token"
     },
     "503": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Readiness"
        }
       }
      },
      "description": "not ready"
     }
    },
    "summary": "Readiness checks (as /readyz)"
   }
  },
  "/requests/{id}": {
   "get": {
    "operationId": "getRequest",
    "parameters": [
     {
      "in": "path",
      "name": "id",
      "required": true,
      "schema": {
       "format": "int64",
       "type": "integer"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ActionOutcome"
        }
       }
      },
      "description": "OK"
     },
     "400": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      },
      "description": "a malformed parameter"
     },
     "401": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      },
      "description": "no or wrong bearer token"
     },
     "404": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      },
      "description": "no such request"
     },
     "503": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      },
      "description": "the store or the session cannot be read"
     }
    },
    "summary": "A close request's outcome"
   }
  },
  "/resume": {
   "post": {
    "operationId": "resume",
    "requestBody": {
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/ReasonBody"
       }
      }
     },
     "required": true
    },
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ActionOutcome"
        }
       }
      },
      "description": "done (see detail)"
     },
     "202": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ActionOutcome"
        }
       }
      },
      "description": "recorded, not answered yet: poll /requests/{id}"
     },
     "409": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ActionOutcome"
        }
       }
      },
      "description": "failed: nothing (or not everything) was done; detail says why"
     },
     "400": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      },
      "description": "a malformed parameter or body"
     },
     "401": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      },
      "description": "no or wrong bearer token"
     }
    },
    "summary": "Resume new entries"
   }
  },
  "/risk": {
   "get": {
    "operationId": "getRisk",
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Risk"
        }
       }
      },
      "description": "OK"
     },
     "401": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      },
      "description": "no or wrong bearer token"
     },
     "503": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      },
      "description": "the store or the session cannot be read"
     }
    },
    "summary": "Manual and engine risk state"
   }
  },
  "/runs": {
   "get": {
    "operationId": "getRuns",
    "parameters": [
     {
      "description": "how many, newest first",
      "in": "query",
      "name": "limit",
      "required": false,
      "schema": {
       "default": 50,
       "maximum": 500,
       "minimum": 1,
       "type": "integer"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "additionalProperties": false,
         "properties": {
          "runs": {
           "items": {
            "$ref": "#/components/schemas/Run"
           },
           "type": "array"
          }
         },
         "required": [
          "runs"
         ],
         "type": "object"
        }
       }
      },
      "description": "OK"
     },
     "400": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      },
      "description": "a malformed parameter"
     },
     "401": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      },
      "description": "no or wrong bearer token"
     },
     "503": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      },
      "description": "the store or the session cannot be read"
     }
    },
    "summary": "Recent runs with their summaries"
   }
  },
  "/session": {
   "get": {
    "operationId": "getSession",
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Session"
        }
       }
      },
      "description": "OK"
     },
     "401": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      },
      "description": "no or wrong bearer token"
     }
    },
    "summary": "What the console is attached to"
   }
  },
  "/signals": {
   "get": {
    "operationId": "getSignals",
    "parameters": [
     {
      "description": "how many, newest first",
      "in": "query",
      "name": "limit",
      "required": false,
      "schema": {
       "default": 50,
       "maximum": 500,
       "minimum": 1,
       "type": "integer"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "additionalProperties": false,
         "properties": {
          "signals": {
           "items": {
            "$ref": "#/components/schemas/Signal"
           },
           "type": "array"
          }
         },
         "required": [
          "signals"
         ],
         "type": "object"
        }
       }
      },
      "description": "OK"
     },
     "400": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      },
      "description": "a malformed parameter"
     },
     "401": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      },
      "description": "no or wrong bearer token"
     },
     "503": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      },
      "description": "the store or the session cannot be read"
     }
    },
    "summary": "Recent signals with the validator's decisions"
   }
  },
  "/trades": {
   "get": {
    "operationId": "getTrades",
    "parameters": [
     {
      "description": "how many, newest first",
      "in": "query",
      "name": "limit",
      "required": false,
      "schema": {
       "default": 50,
       "maximum": 500,
       "minimum": 1,
       "type": "integer"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "additionalProperties": false,
         "properties": {
          "trades": {
           "items": {
            "$ref": "#/components/schemas/Trade"
           },
           "type": "array"
          }
         },
         "required": [
          "trades"
         ],
         "type": "object"
        }
       }
      },
      "description": "OK"
     },
     "400": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      },
      "description": "a malformed parameter"
     },
     "401": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      },
      "description": "no or wrong bearer token"
     },
     "503": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      },
      "description": "the store or the session cannot be read"
     }
    },
    "summary": "Recent closed trades"
   }
  }
 },
 "security": [
  {
   "bearerAuth": []
  }
 ],
 "servers": [
  {
   "url": "/api/v1"
  }
 ]
}
"""#
}
