// Printing: the page's address is printed by the stylesheet; this adds the day it was printed,
// which only the visitor's browser knows (the built page must stay the same for every build).
// Deferred, a few hundred bytes, nothing on screen: the span is shown by @media print only.
addEventListener("beforeprint", () => {
  const out = document.getElementById("print-date");
  if (!out) return;
  const day = new Date().toLocaleDateString(out.dataset.locale, {
    day: "numeric",
    month: "long",
    year: "numeric",
  });
  out.textContent = `${out.dataset.label} ${day}`;
});
