// Lets GOV.UK Frontend styles know scripts run, before the page paints.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
