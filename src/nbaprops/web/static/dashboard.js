// nbaprops dashboard: sorts tables marked "sortable" when a heading is clicked. Nothing else.
"use strict";
(function () {
  function cellValue(row, index, numeric) {
    var text = row.cells[index] ? row.cells[index].textContent.trim() : "";
    if (!numeric) { return text.toLowerCase(); }
    var value = parseFloat(text.replace("%", ""));
    return isNaN(value) ? -Infinity : value;
  }
  function isNumeric(rows, index) {
    return rows.every(function (row) {
      var text = row.cells[index] ? row.cells[index].textContent.trim().replace("%", "") : "";
      return text === "-" || text === "" || !isNaN(parseFloat(text));
    });
  }
  function sortBy(table, heading, index) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var ascending = heading.getAttribute("aria-sort") !== "ascending";
    var numeric = heading.dataset.type === "number" || isNumeric(rows, index);
    rows.sort(function (a, b) {
      var x = cellValue(a, index, numeric), y = cellValue(b, index, numeric);
      var order = x < y ? -1 : x > y ? 1 : 0;
      return ascending ? order : -order;
    });
    table.querySelectorAll("th").forEach(function (th) { th.removeAttribute("aria-sort"); });
    heading.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    rows.forEach(function (row) { body.appendChild(row); });
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    table.querySelectorAll("thead th").forEach(function (heading, index) {
      heading.addEventListener("click", function () { sortBy(table, heading, index); });
    });
  });
})();
