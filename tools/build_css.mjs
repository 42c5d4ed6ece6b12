// `make css`: Bootstrap cut down to the selectors the site's own markup uses (PurgeCSS).
// The site never runs Node; this runs on a developer's machine and in CI (which checks that
// the committed file is what this script makes). Sources: every template, our JavaScript,
// the Python that writes markup, and crispy-bootstrap5's templates (the comment form).
import { PurgeCSS } from "purgecss";
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";

const python = ".venv/bin/python";
const crispy = execFileSync(python, [
  "-c",
  "import crispy_bootstrap5, os; print(os.path.dirname(crispy_bootstrap5.__file__))",
]).toString().trim();

const source = "static/vendor/bootstrap/css/bootstrap.min.css";
const output = "static/css/bootstrap.site.css";

// Bootstrap's custom properties our own stylesheets read (var(--bs-...)): kept, though no
// Bootstrap rule that PurgeCSS keeps may use them.
const ours = readdirSync("static/css")
  .filter((name) => name.endsWith(".css") && `static/css/${name}` !== output)
  .map((name) => readFileSync(`static/css/${name}`, "utf8"))
  .join("\n");
const variables = [...new Set([...ours.matchAll(/var\((--bs-[\w-]+)/g)].map((m) => m[1]))];

const [result] = await new PurgeCSS().purge({
  content: [
    "templates/**/*.html",
    "static/js/**/*.js",
    "fitness/**/*.py",
    "comments/**/*.py",
    "wordpress/**/*.py",
    `${crispy}/templates/bootstrap5/**/*.html`,
  ],
  css: [source],
  // Class names our code builds from parts or that Bootstrap's own behaviour adds.
  safelist: {
    standard: ["show", "active", "disabled", "is-invalid", "is-valid", "was-validated"],
    greedy: [/^alert-/, /^text-bg-/, /^btn-/],
    variables,
  },
  variables: true,
  keyframes: true,
  fontFace: true,
});

const banner = readFileSync(source, "utf8").match(/\/\*![\s\S]*?\*\//)[0];
// @charset must stay first; Bootstrap's licence banner comes right after it.
const body = result.css.replace(banner, "").replace('@charset "UTF-8";', "").trim();
const note = `/* Cut down by tools/build_css.mjs (make css) from ${source}: edit the templates, not this file. */`;
const css = `@charset "UTF-8";\n${banner}\n${note}\n${body}\n`;
writeFileSync(output, css);
console.log(`${output}: ${css.length} bytes (from ${readFileSync(source).length})`);
