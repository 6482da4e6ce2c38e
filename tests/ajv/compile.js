// Compile JSON Schemas (draft 2020-12) with ajv in strict mode: ajv and ajv-formats from the
// npm registry, pinned by package-lock.json, installed by tools/ci-setup.sh. Used by
// tests/test_schema_ajv.py.
//
// argv: schema files. stdout: [{"file": PATH, "thrown": [message], "logged": [message]}]:
// "thrown" holds what stopped the compile (every strict check but strictTypes throws);
// "logged" holds every strictTypes complaint (logged rather than thrown, so that all of
// them are seen, each naming its schema location "<$id>#<pointer>").
"use strict";
const fs = require("fs");
const Ajv2020 = require("ajv/dist/2020").default;
const addFormats = require("ajv-formats").default;

const results = process.argv.slice(2).map((file) => {
  const thrown = [];
  const logged = [];
  const logger = {
    log: () => {},
    warn: (...args) => logged.push(args.join(" ")),
    error: (...args) => logged.push(args.join(" ")),
  };
  const ajv = new Ajv2020({ strict: true, strictTypes: "log", allErrors: true, logger });
  addFormats(ajv);
  try {
    ajv.compile(JSON.parse(fs.readFileSync(file, "utf8")));
  } catch (error) {
    thrown.push(String(error.message || error));
  }
  return { file, thrown, logged: [...new Set(logged)] };
});
process.stdout.write(JSON.stringify(results));
