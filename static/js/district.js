// District screens: sortable tables, the print button and confirmations. No framework; htmx does the rest.
(function () {
  "use strict";

  function cellValue(row, index) {
    var cell = row.cells[index];
    if (!cell) return "";
    var raw = cell.getAttribute("data-sort-value");
    if (raw === null) raw = cell.textContent.trim();
    return raw;
  }

  function compare(a, b) {
    var na = parseFloat(a), nb = parseFloat(b);
    var aNum = a !== "" && !isNaN(na), bNum = b !== "" && !isNaN(nb);
    if (aNum && bNum) return na - nb;
    if (aNum) return -1;
    if (bNum) return 1;
    return a.localeCompare(b, document.documentElement.lang || "vi");
  }

  function sortBy(table, header) {
    var index = Array.prototype.indexOf.call(header.parentNode.children, header);
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("th[aria-sort]").forEach(function (th) { th.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (r1, r2) {
      var result = compare(cellValue(r1, index), cellValue(r2, index));
      return ascending ? result : -result;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  document.addEventListener("click", function (event) {
    var header = event.target.closest("table.sortable thead th[data-sortable]");
    if (header) {
      sortBy(header.closest("table"), header);
      return;
    }
    if (event.target.closest("[data-print]")) {
      window.print();
    }
  });

  // Irreversible actions ask first; the question is translated in the template.
  document.addEventListener("submit", function (event) {
    var form = event.target.closest && event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  document.addEventListener("keydown", function (event) {
    var header = event.target.closest && event.target.closest("table.sortable thead th[data-sortable]");
    if (header && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      sortBy(header.closest("table"), header);
    }
  });
})();
