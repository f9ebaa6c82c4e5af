// Small improvements only: the pages work the same without this script.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // Changing the sort order or "one hit per article" searches again at once.
  document.querySelectorAll(".autosubmit").forEach(function (control) {
    control.addEventListener("change", function () { if (control.form) { control.form.submit(); } });
  });
  // An article opened without #pN still scrolls to its marked paragraph.
  var marked = document.querySelector(".para.marked");
  if (marked && !window.location.hash) { marked.scrollIntoView({ block: "center" }); }
});
