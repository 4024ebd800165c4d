// Loaded as the first thing in <body>, so components can style themselves
// before first paint. An external file, because the CSP allows no inline script.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
