/* Before printing (the browser's "Print", or the theme's "print to PDF" entry), open every closed
 * <details> so that collapsed content is on paper; close them again afterwards.  print.css shows the
 * tab panels.  tools/build_pdf.py runs the same function (window.laiwangPrintExpand) before it prints. */
(function () {
  "use strict";
  var opened = [];
  function expand() {
    Array.prototype.forEach.call(document.querySelectorAll("details:not([open])"), function (d) {
      d.setAttribute("open", "");
      opened.push(d);
    });
  }
  function restore() {
    opened.forEach(function (d) { d.removeAttribute("open"); });
    opened = [];
  }
  window.laiwangPrintExpand = expand;
  window.addEventListener("beforeprint", expand);
  window.addEventListener("afterprint", restore);
})();
