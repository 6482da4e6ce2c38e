// Render CSL-JSON items with citeproc-js (the npm package "citeproc", pinned by
// package-lock.json). Used by tests/test_cite_citeproc.py.
//
// stdin: {"jobs": [{"style": PATH, "locale": PATH, "item": {CSL-JSON item},
//                   "locator": optional pinpoint ("3"), "label": its label (default "page")}]}
// stdout: [{"bibliography": HTML string, "note": HTML string}] in the same order:
// the item's reference-list entry and its first (full) note citation, in citeproc's
// html output format (italics as <i>). One engine per style: building one is slow.
"use strict";
const fs = require("fs");
const CSL = require("citeproc");

const input = JSON.parse(fs.readFileSync(0, "utf8"));
const files = new Map();
const read = (path) => {
  if (!files.has(path)) files.set(path, fs.readFileSync(path, "utf8"));
  return files.get(path);
};
let current = {};
const engines = new Map();
const engineFor = (job) => {
  const key = job.style + "\n" + job.locale;
  if (!engines.has(key)) {
    const sys = {
      retrieveLocale: () => read(job.locale),
      retrieveItem: (id) => current[id],
    };
    const engine = new CSL.Engine(sys, read(job.style), "en-US");
    engine.setOutputFormat("html");
    engines.set(key, engine);
  }
  return engines.get(key);
};

const results = input.jobs.map((job) => {
  const id = job.item.id;
  current = { [id]: job.item };
  const engine = engineFor(job);
  engine.updateItems([id]);
  const bibliography = engine.makeBibliography();
  const entry = bibliography ? bibliography[1].join("").trim() : "";
  // an optional pinpoint: job.locator ("3") with job.label ("page")
  const cite = job.locator ? { id: id, locator: job.locator, label: job.label || "page" } : { id: id };
  const note = engine.makeCitationCluster([cite]);
  engine.updateItems([]);
  return { bibliography: entry, note: note };
});
process.stdout.write(JSON.stringify(results));
