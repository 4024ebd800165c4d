// Builds static/dist from the npm packages: compiles the Sass, copies the
// JavaScript modules and images. Run by `make assets` (npm run build).
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "static", "dist");
const modules = join(root, "node_modules");

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "images"), { recursive: true });

const css = sass.compile(join(root, "assets", "scss", "application.scss"), {
  // MOJ Frontend names GOV.UK Frontend by a path from the project root.
  loadPaths: [modules, root],
  style: "compressed",
  quietDeps: true,
  // MOJ Frontend still calls mixins GOV.UK Frontend has deprecated; their warnings are not ours.
  logger: sass.Logger.silent,
});
writeFileSync(join(out, "application.css"), css.css);

cpSync(join(modules, "govuk-frontend/dist/govuk/govuk-frontend.min.js"), join(out, "govuk-frontend.min.js"));
cpSync(join(modules, "@ministryofjustice/frontend/moj/moj-frontend.min.js"), join(out, "moj-frontend.min.js"));
cpSync(join(modules, "govuk-frontend/dist/govuk/assets/images"), join(out, "images"), { recursive: true });
cpSync(join(modules, "@ministryofjustice/frontend/moj/assets/images"), join(out, "images"), { recursive: true });
console.log(`assets: wrote ${out}`);
