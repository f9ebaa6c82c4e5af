// Small improvements only: the pages work the same without this script.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // Changing the sort order or "one hit per article" searches again at once.
  document.querySelectorAll(".autosubmit").forEach(function (control) {
    control.addEventListener("change", function () {
      if (control.form) { control.form.requestSubmit(); }
    });
  });
  // Leave empty fields and defaults out of the URL, so that it stays short to share.
  document.querySelectorAll("form.search").forEach(function (form) {
    form.addEventListener("submit", function () {
      Array.prototype.forEach.call(form.elements, function (field) {
        if (!field.name) { return; }
        if (field.value === "" || (field.name === "sort" && field.value === "relevance")) {
          field.disabled = true;
        }
      });
    });
  });
  // An article opened without #pN still scrolls to its marked paragraph.
  var marked = document.querySelector(".para.marked");
  if (marked && !window.location.hash) { marked.scrollIntoView({ block: "center" }); }
});
