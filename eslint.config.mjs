// ESLint for the site's own scripts (`make lint`: npx eslint static/js). One dialect: classic
// scripts (the templates load them with <script src>, no modules), each a "use strict" IIFE,
// const and let, never var. static/vendor/ is other people's code, served as it came.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["static/vendor/", "staticfiles/", "node_modules/", "test-artifacts/"] },
  {
    files: ["static/js/**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "script",
      globals: { ...globals.browser },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      ...js.configs.recommended.rules,
      // The dialect: every file one function scope that says "use strict" (the IIFE),
      // nothing declared on the page's global object, block-scoped names only.
      strict: ["error", "function"],
      "no-implicit-globals": "error",
      "no-var": "error",
      "prefer-const": "error",
      eqeqeq: ["error", "always"],
    },
  },
];
