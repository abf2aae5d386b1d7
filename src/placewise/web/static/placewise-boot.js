// Runs first in <body>, as GOV.UK Frontend expects; a file, not inline, so the CSP can forbid inline script.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
